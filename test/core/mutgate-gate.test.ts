import { describe, expect, it } from 'vitest';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { frame, FRAME, openStream, rig } from './gate-rig.ts';

// Two things the owner relies on that the other gate tests leave open (helper mutgate,
// issue #16): the screen and ring keep changing while a stream flows (a timer rings, night
// mode starts, the talker moves) and none of that may cut the stream or open a second one;
// and the gate says a deafness probe holds the mic only while one does.

describe('privacy gate: view changes during a flowing stream', () => {
  it('a timer, night mode, the talker moving: the same stream goes on, one service stream, one ledger entry, nothing ended', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    await openStream(r);
    r.machine.set({ notification: { kind: 'timer', label: 'Tea' } }, true);
    r.mic.deliver(frame(2));
    r.machine.set({ night: true }, true);
    r.machine.set({ talkerDirection: 90 }, true);
    r.mic.deliver(frame(3));
    await r.tick();
    expect(r.ended).toEqual([]);
    expect(r.closed).toEqual([]);
    expect(r.opened).toHaveLength(1);
    expect(r.ledgerOpened).toHaveLength(1);
    expect(r.gate.activeStreamId).toBe(7);
    expect(r.gate.streamPhase).toBe('open');
    expect(r.pending).toHaveLength(1); // no second wait for the indicator
    expect(r.written.map((w) => w[0])).toEqual([1000, 2, 3]);
    r.machine.set({ state: 'thinking', stream: null, lastStreamEnd: { id: 7, reason: 'end-of-speech' } }, true);
    expect(r.ended).toEqual(['end end-of-speech']);
    expect(r.ledgerClosed).toMatchObject([{ endReason: 'end-of-speech', audioBytes: 3 * FRAME * 2 }]);
    expect(r.problems).toEqual([]);
  });

  it('a view change while the indicator is not confirmed yet: one wait, and the held audio is sent once', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.machine.set({ state: 'listening', stream: { id: 7, trigger: 'button' } as AttentionView['stream'] }, true);
    r.mic.deliver(frame(1));
    r.machine.set({ notification: { kind: 'timer', label: 'Tea' } }, true);
    r.mic.deliver(frame(2));
    expect(r.pending).toHaveLength(1);
    expect(r.gate.heldSamples).toBe(2 * FRAME);
    r.acks.shift()!();
    await r.tick();
    expect(r.opened).toHaveLength(1);
    expect(r.written.map((w) => w[0])).toEqual([1, 2]);
    expect(r.ended).toEqual([]);
  });
});

describe('privacy gate: what it says about deafness probes', () => {
  it('no probe before the first one: a gate that never probed does not claim the mic for one', async () => {
    const r = rig();
    expect(r.gate.probing).toBe(false);
    r.gate.start();
    await r.tick();
    expect(r.gate.probing).toBe(false); // capturing, not probing
    r.machine.set({ muted: true, micPowered: false, state: 'muted' }, true);
    r.mute.micPowerCommanded = false;
    await r.tick();
    expect(r.mic.isOpen).toBe(false);
    expect(r.gate.probing).toBe(false);
  });
});
