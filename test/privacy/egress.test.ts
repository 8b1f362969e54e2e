import { describe, expect, it } from 'vitest';
import { audioMsOf } from '../../src/core/ledger/types.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';

/**
 * Build 1, the egress cross-check: the bytes the transport wrote for a stream (counted in
 * the simulated socket here, in WyomingConnection.send for Home Assistant) are reconciled
 * with the gate's count after every write; a difference is a latched fault.
 */
describe('egress cross-check', () => {
  it('a double write below the gate stops the stream, faults, and refuses new streams until restart', async () => {
    const h = await createSimHarness({ settings: { preRollMs: 500 } });
    await h.speak(600);
    h.sim.actionButton!.press();
    await h.speak(300);
    expect(h.device.view.stream).not.toBeNull();
    h.voice.duplicateNextWrite();
    await h.speak(100);
    expect(h.device.view.fault).toMatchObject({ code: 'EGRESS_MISMATCH', latched: true });
    expect(h.device.view.stream).toBeNull();
    expect(h.voice.streams[0]!.end).toMatchObject({ kind: 'abort', reason: 'fault' });
    // Nothing the relay or the owner does clears it: only a restart.
    h.sim.muteButton!.press();
    await flush();
    h.sim.muteButton!.press();
    await flush();
    h.sim.actionButton!.press();
    await h.speak(200);
    expect(h.device.view.state).toBe('fault');
    expect(h.voice.streams).toHaveLength(1);
    // The ledger says what the socket counted (the duplicate included): never less than left.
    expect(h.device.ledger.entries()[0]!.audioBytes).toBe(h.voice.streams[0]!.samples * 2);
    await h.device.stop();
  });

  it('without a fault, the ledger\'s bytes, duration and pre-roll are exactly what was sent', async () => {
    const h = await createSimHarness({ settings: { preRollMs: 500 } });
    await h.speak(700);
    h.sim.actionButton!.press();
    await h.speak(1500);
    h.voice.simulate('processing', 1);
    await flush();
    const [e] = h.device.ledger.entries();
    const sent = h.voice.streams[0]!.samples;
    expect(e!.audioBytes).toBe(sent * 2);
    expect(audioMsOf(e!.audioBytes)).toBe(Math.round((sent * 1000) / 16000));
    // The pre-roll is inside the duration, not on top of it.
    expect(audioMsOf(e!.audioBytes)).toBeGreaterThanOrEqual(e!.preRollMs + 1500 - 40);
    expect(e!.preRollMs).toBe(500);
    expect(h.device.view.fault).toBeNull();
    await h.device.stop();
  });
});
