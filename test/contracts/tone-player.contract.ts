import { describe, expect, it } from 'vitest';
import { useHarness } from './use-harness.ts';
import type { TonePlayer } from '../../hal/tone-player.ts';
import { TONE_NAMES } from '../../hal/tone-player.ts';

export interface TonePlayerHarness {
  player: TonePlayer;
  /** Let playback progress (advance a manual clock, or wait for a real device). */
  advance(ms: number): Promise<void> | void;
  failNextWrite?(): void;
  cleanup?(): Promise<void>;
}

export function tonePlayerContract(name: string, make: () => Promise<TonePlayerHarness>): void {
  describe(`TonePlayer contract: ${name}`, () => {
    const setup = useHarness(make);

    it('every named tone plays to completion, in call order, with start/end events', async () => {
      const h = await setup();
      const events: string[] = [];
      h.player.on('start', (s) => events.push(`start:${typeof s === 'string' ? s : 'pcm'}`));
      h.player.on('end', (s, done) => events.push(`end:${typeof s === 'string' ? s : 'pcm'}:${done}`));
      const results = TONE_NAMES.map((t) => h.player.play(t));
      for (let i = 0; i < 40 && events.length < TONE_NAMES.length * 2; i++) await h.advance(100);
      expect(await Promise.all(results)).toEqual(TONE_NAMES.map(() => ({ completed: true })));
      expect(events).toEqual(TONE_NAMES.flatMap((t) => [`start:${t}`, `end:${t}:true`]));
      expect(h.player.playing).toBe(false);
    });

    it('plays 16-bit PCM and resolves when done', async () => {
      const h = await setup();
      const samples = new Int16Array(1600).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
      const p = h.player.play({ sampleRate: 16000, channels: 1, samples });
      for (let i = 0; i < 20; i++) await h.advance(50);
      expect(await p).toEqual({ completed: true });
    });

    it('hands over the far-end reference: exactly the PCM played, at 16 kHz with the volume applied; a cut on stop', async () => {
      const h = await setup();
      const chunks: { samples: Int16Array; atMs: number }[] = [];
      const cuts: number[] = [];
      h.player.on('far-end', (c) => chunks.push(c));
      h.player.on('far-end-cut', (at) => cuts.push(at));
      h.player.setVolume(0.5);
      const samples = new Int16Array(16_000).map((_, i) => Math.round(8000 * Math.sin(i / 5)));
      const p = h.player.play({ sampleRate: 16000, channels: 1, samples });
      for (let i = 0; i < 10 && chunks.length === 0; i++) await h.advance(20);
      expect(chunks).toHaveLength(1);
      expect(chunks[0]!.samples.length).toBe(16_000);
      expect(chunks[0]!.samples[123]).toBe(Math.round(samples[123]! * 0.25));
      expect(Number.isFinite(chunks[0]!.atMs)).toBe(true);
      h.player.stop();
      expect(await p).toEqual({ completed: false });
      expect(cuts.length).toBeGreaterThanOrEqual(1);
    });

    it('stop() cuts the current and queued sounds (completed: false)', async () => {
      const h = await setup();
      const a = h.player.play('chime');
      const b = h.player.play('error');
      h.player.stop();
      expect(await Promise.all([a, b])).toEqual([{ completed: false }, { completed: false }]);
      expect(h.player.playing).toBe(false);
    });

    it('volume is 0..1; out of range throws INVALID_ARGUMENT', async () => {
      const h = await setup();
      h.player.setVolume(0.25);
      expect(h.player.volume).toBe(0.25);
      expect(() => h.player.setVolume(2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    });

    it('unplayable PCM rejects AUDIO_FORMAT', async () => {
      const h = await setup();
      await expect(h.player.play({ sampleRate: 1000, channels: 1, samples: new Int16Array(10) })).rejects.toMatchObject({ code: 'AUDIO_FORMAT' });
    });

    it('close() stops playback; later plays reject DEVICE_CLOSED', async () => {
      const h = await setup();
      const p = h.player.play('chime');
      await h.player.close();
      expect(await p).toEqual({ completed: false });
      await expect(h.player.play('start')).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
    });
  });
}
