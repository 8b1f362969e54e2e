import { describe, expect, it } from 'vitest';
import { TONE_NAMES, type Sound } from '../../hal/tone-player.ts';
import { synthesizeTone, toneMaxHz, TONE_SAMPLE_RATE } from '../../hal/drivers/audio/tone-synth.ts';
import { pcmToBuffer, wavToPcm } from '../../hal/drivers/audio/pcm.ts';
import { SpeakerTonePlayer } from '../../hal/drivers/audio/speaker-tone-player.ts';
import { FakeSpeakerDevice } from '../../hal/fakes/fake-speaker.ts';
import { chirp, makeWav } from './alsa-test-config.ts';

describe('synthesized tones', () => {
  for (const name of TONE_NAMES) {
    it(`${name}: short, audible, starts and ends at zero, no clicks`, () => {
      const { samples, sampleRate } = synthesizeTone(name);
      const ms = (samples.length / sampleRate) * 1000;
      expect(ms).toBeGreaterThan(100);
      expect(ms).toBeLessThan(1000);
      expect(Math.abs(samples[0]!)).toBeLessThanOrEqual(1);
      expect(Math.abs(samples[samples.length - 1]!)).toBeLessThanOrEqual(1);
      const peak = samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
      expect(peak).toBeGreaterThan(8000);
      // A click is a jump larger than the steepest slope a band-limited tone at this peak
      // and top partial can have: 2π f A / rate (plus rounding).
      const maxStep = (2 * Math.PI * toneMaxHz(name) * 32767 * 0.5) / sampleRate + 2;
      let worst = 0;
      for (let i = 1; i < samples.length; i++) worst = Math.max(worst, Math.abs(samples[i]! - samples[i - 1]!));
      expect(worst).toBeLessThanOrEqual(maxStep);
    });
  }

  it('each tone is distinct', () => {
    const sigs = TONE_NAMES.map((n) => Array.from(synthesizeTone(n).samples.subarray(0, 2000)).join(','));
    expect(new Set(sigs).size).toBe(TONE_NAMES.length);
  });
});

describe('PCM and WAV', () => {
  it('decodes a 16-bit WAV byte-exact and refuses what it cannot decode', () => {
    const s = chirp(1000);
    const pcm = wavToPcm(makeWav(s, 22050, 1));
    expect(pcm.sampleRate).toBe(22050);
    expect([...pcm.samples]).toEqual([...s]);
    expect(() => wavToPcm(Buffer.from('not a wav at all'))).toThrow(expect.objectContaining({ code: 'AUDIO_FORMAT' }));
  });

  it('converts what the speaker cannot take: 96 kHz is resampled, 6 channels mixed to mono', () => {
    const hi = wavToPcm(makeWav(chirp(9600), 96000, 1));
    expect(hi.sampleRate).toBe(48000);
    expect(hi.samples.length).toBeGreaterThan(4700);
    expect(hi.samples.length).toBeLessThan(4900);
    const six = new Int16Array(600).map((_, i) => (i % 6 === 0 ? 6000 : 0));
    const mono = wavToPcm(makeWav(six, 16000, 6));
    expect(mono.channels).toBe(1);
    expect(mono.samples.length).toBe(100);
    expect(mono.samples[0]).toBe(1000);
  });

  it('volume scales on a squared curve', () => {
    const b = pcmToBuffer(Int16Array.from([10000, -10000]), 0.5);
    expect(b.readInt16LE(0)).toBe(2500);
    expect(b.readInt16LE(2)).toBe(-2500);
  });
});

describe('SpeakerTonePlayer over a fake speaker', () => {
  it('plays tones and PCM in call order at their own format, with start/end events', async () => {
    const dev = new FakeSpeakerDevice();
    const player = new SpeakerTonePlayer(dev.Speaker, { device: 'plughw:1,0', volume: 1 });
    const events: string[] = [];
    player.on('start', (s) => events.push(`start:${typeof s === 'string' ? s : 'pcm'}`));
    player.on('end', (s, done) => events.push(`end:${typeof s === 'string' ? s : 'pcm'}:${done}`));
    const pcm: Sound = { sampleRate: 16000, channels: 2, samples: Int16Array.from([1, 2, 3, 4]) };
    const results = await Promise.all([player.play('start'), player.play(pcm)]);
    expect(results).toEqual([{ completed: true }, { completed: true }]);
    expect(events).toEqual(['start:start', 'end:start:true', 'start:pcm', 'end:pcm:true']);
    expect(dev.streams.map((s) => s.format)).toEqual([
      { channels: 1, sampleRate: TONE_SAMPLE_RATE, device: 'plughw:1,0' },
      { channels: 2, sampleRate: 16000, device: 'plughw:1,0' },
    ]);
    expect([...dev.samples(0)]).toEqual([...synthesizeTone('start').samples]);
    expect([...dev.samples(1)]).toEqual([1, 2, 3, 4]);
  });

  it('stop() cuts the current sound (dropping the buffer) and drops the queue', async () => {
    const dev = new FakeSpeakerDevice();
    dev.autoFinish = false;
    const player = new SpeakerTonePlayer(dev.Speaker);
    const a = player.play('chime');
    const b = player.play('end');
    await new Promise((r) => setImmediate(r));
    expect(player.playing).toBe(true);
    player.stop();
    expect(await a).toEqual({ completed: false });
    expect(await b).toEqual({ completed: false });
    expect(dev.streams).toHaveLength(1);
    expect(dev.streams[0]!.droppedOnClose).toBe(true);
    expect(player.playing).toBe(false);
  });

  it('an output failure rejects DEVICE_WRITE_FAILED, emits error, and the next sound still plays', async () => {
    const dev = new FakeSpeakerDevice();
    const player = new SpeakerTonePlayer(dev.Speaker);
    const errors: string[] = [];
    player.on('error', (e) => errors.push(e.code));
    dev.failOpen = new Error('cannot open device');
    await expect(player.play('error')).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
    dev.failOpen = undefined;
    expect(await player.play('error')).toEqual({ completed: true });
    expect(errors).toEqual(['DEVICE_WRITE_FAILED']);
  });

  it('volume and format validation', async () => {
    const player = new SpeakerTonePlayer(new FakeSpeakerDevice().Speaker);
    expect(() => player.setVolume(2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    await expect(player.play({ sampleRate: 200, channels: 1, samples: new Int16Array(4) })).rejects.toMatchObject({ code: 'AUDIO_FORMAT' });
    await player.close();
    await expect(player.play('start')).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
  });
});
