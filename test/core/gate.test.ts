import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimHarness, flush, numberedSamples } from '../support/sim-device.ts';

describe('privacy gate', () => {
  it('waits for the indicator: no byte leaves until the ring has latched the listening frame', async () => {
    const h = await createSimHarness({ ringLatchMs: 300 });
    await h.speak(640);
    h.sim.actionButton!.press();
    await h.speak(240);
    expect(h.voice.streams).toHaveLength(0);
    expect(h.device.gate.streamPhase).toBe('awaiting-indicator');
    await h.speak(160);
    expect(h.voice.streams).toHaveLength(1);
    // Everything heard while waiting was queued and sent: pre-roll + 5 frames.
    expect(h.voice.streams[0]!.samples).toBe(8000 + 5 * 1280);
    await h.device.stop();
  });

  it('fails closed when the ring cannot show the indicator', async () => {
    const h = await createSimHarness();
    await h.speak(400);
    h.sim.ring!.fault.failAlways(true);
    h.sim.actionButton!.press();
    await h.speak(400);
    expect(h.voice.streams).toHaveLength(0);
    expect(h.device.view).toMatchObject({ state: 'error', stream: null, lastStreamEnd: { reason: 'indicator-failed' } });
    await h.device.stop();
  });

  it('fails closed when the indicator does not confirm within the budget', async () => {
    const h = await createSimHarness({ ringLatchMs: 2000, settings: { indicatorAckBudgetMs: 500 } });
    h.sim.actionButton!.press();
    await h.speak(800);
    expect(h.voice.streams).toHaveLength(0);
    expect(h.device.view.lastStreamEnd?.reason).toBe('indicator-failed');
    await h.device.stop();
  });

  it('capture continues while the start tone plays: speech right after the trigger arrives whole', async () => {
    const h = await createSimHarness();
    await h.speak(1000);
    h.wake.trigger();
    await flush();
    expect(h.sim.tones!.playing).toBe(true);
    const during = numberedSamples(1280);
    h.sim.microphone.feed(during);
    h.clock.advance(80);
    await flush();
    expect(h.sim.tones!.playing).toBe(true);
    const rec = h.voice.streams[0]!;
    const audio = h.voice.audioOf(rec);
    expect(Array.from(audio.subarray(8000, 8000 + 1280))).toEqual(Array.from(during));
    await h.device.stop();
  });

  it('pre-roll is exactly the configured length, taken from just before the trigger', async () => {
    for (const preRollMs of [0, 250, 1000]) {
      const h = await createSimHarness({ settings: { preRollMs } });
      const before: Int16Array[] = [];
      h.sim.microphone.on('frame', (f) => before.push(f));
      await h.speak(2000);
      h.sim.actionButton!.press();
      await flush();
      await h.speak(80);
      const all = Int16Array.from(before.flatMap((f) => Array.from(f)));
      const n = preRollMs * 16;
      const expected = all.subarray(all.length - 1280 - n, all.length - 1280);
      const got = h.voice.audioOf(h.voice.streams[0]!);
      expect(h.voice.streams[0]!.info.preRollMs).toBe(preRollMs);
      expect(Array.from(got.subarray(0, n))).toEqual(Array.from(expected));
      expect(h.device.gate.preRollCapacity).toBe(n);
      await h.device.stop();
    }
  });

  it('mute aborts an open stream in the same tick and nothing more is written', async () => {
    const h = await createSimHarness();
    h.sim.actionButton!.press();
    await h.speak(400);
    const rec = h.voice.streams[0]!;
    const before = rec.samples;
    h.sim.muteButton!.press();
    expect(rec.end).toEqual({ kind: 'abort', reason: 'mute' });
    await h.speak(400);
    expect(rec.samples).toBe(before);
    expect(rec.lateWrites).toBe(0);
    expect(h.sim.microphone.isOpen).toBe(false);
    expect(h.sim.relay!.commanded).toBe('open');
    expect(h.sim.muteLed!.isOn).toBe(true);
    expect(h.device.ledger.entries()[0]).toMatchObject({ endReason: 'mute', audioBytes: before * 2 });
    await h.device.stop();
  });

  it('only src/core/gate/ calls openStream on a voice service', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(name) && /\.openStream\(/.test(readFileSync(p, 'utf8')) && !p.startsWith(join('src', 'core', 'gate'))) offenders.push(p);
      }
    };
    walk('src');
    walk('ui');
    expect(offenders).toEqual([]);
  });
});

describe('ledger accounting', () => {
  it('counts every byte that left, even when the service closes the stream inside write()', async () => {
    const { createSimHarness: make } = await import('../support/sim-device.ts');
    const h = await make({ autoRespond: true });
    h.sim.actionButton!.press();
    await h.speak(2500);
    const rec = h.voice.streams[0]!;
    expect(rec.end?.reason).toBe('processed');
    const entry = h.device.ledger.entries()[0]!;
    expect(entry.audioBytes).toBe(rec.samples * 2);
    await h.device.stop();
  });
});
