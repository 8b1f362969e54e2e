import { describe, expect, it } from 'vitest';
import { isListeningFrame } from '../../src/core/feedback/ring-patterns.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';

describe('device on the sim board: a whole request', () => {
  it('wake → indicator acknowledged → pre-roll + speech streamed → processed → reply → idle', async () => {
    const h = await createSimHarness();
    expect(h.device.view.state).toBe('idle');
    expect(h.sim.microphone.isOpen).toBe(true);
    await h.speak(1000);
    expect(h.wake.trigger()).toBe(true);
    expect(h.device.view.state).toBe('listening');
    await flush();
    expect(isListeningFrame(h.sim.ring!.current)).toBe(true);
    await h.speak(800);
    expect(h.voice.streams).toHaveLength(1);
    const rec = h.voice.streams[0]!;
    expect(rec.info.trigger).toBe('wake');
    expect(rec.info.preRollMs).toBe(500);
    expect(rec.samples).toBe(8000 + 10 * 1280);
    h.voice.simulate('processing', 1);
    expect(h.device.view.state).toBe('thinking');
    expect(rec.end).toEqual({ kind: 'end', reason: 'processed' });
    h.voice.simulate('response-start', 1);
    expect(h.device.view.state).toBe('speaking');
    h.voice.simulate('response-end', 1);
    expect(h.device.view.state).toBe('idle');
    const [entry] = h.device.ledger.entries();
    expect(entry).toMatchObject({ trigger: 'wake', preRollMs: 500, endReason: 'processed', destination: h.voice.destination });
    expect(entry!.audioBytes).toBe(rec.samples * 2);
    await h.device.stop();
  });
});

describe('voice-service timers reach the view', () => {
  it('maps running and paused timers onto the device clock', async () => {
    const h = await createSimHarness();
    h.voice.simulate('timers', [
      { id: 'a', name: 'Tea', active: true, endsAt: 5000, remainingSeconds: 5 },
      { id: 'b', name: null, active: false, endsAt: 0, remainingSeconds: 90 },
    ]);
    expect(h.device.view.timers).toEqual([
      { id: 'a', name: 'Tea', active: true, endsAt: 5000, remainingMs: 5000 },
      { id: 'b', name: null, active: false, endsAt: null, remainingMs: 90_000 },
    ]);
    await h.device.stop();
  });
});
