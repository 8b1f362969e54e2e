import { describe, expect, it } from 'vitest';
import { HalError } from '../../hal/errors.ts';
import { FRAME, frame, openStream, rig } from './gate-rig.ts';

// The gate's side of the microphone: when it opens and closes, who hears its frames,
// what the owner is told when it fails (gate-rig.ts: a mic that never stops delivering).

describe('privacy gate: the microphone', () => {
  it('frames a driver delivers before the gate has opened it reach nothing', async () => {
    const r = rig();
    r.gate.start();
    r.mic.deliver(); // the open is still under way
    expect(r.wakeHeard).toHaveLength(0);
    await r.tick();
    r.mic.deliver();
    expect(r.wakeHeard).toHaveLength(1);
  });

  it('the mic opens only once the relay has powered it, and then without waiting for another view change', async () => {
    const r = rig();
    r.mute.micPowerCommanded = false; // unmuted, but the relay is still moving
    r.gate.start();
    await r.tick();
    expect(r.mic.isOpen).toBe(false);
    r.mute.micPowerCommanded = true;
    r.mute.settle();
    await r.tick();
    expect(r.mic.isOpen).toBe(true);
    r.mic.deliver();
    expect(r.wakeHeard).toHaveLength(1);
  });

  it.each([
    ['muted', { muted: true, micPowered: false, state: 'muted' }],
    ['paused', { paused: true }],
    ['faulted', { fault: { code: 'EGRESS_MISMATCH', message: 'x', latched: true } }],
    ['relay powered off', { micPowered: false }],
  ] as const)('%s: the mic is closed, and what the driver still delivers reaches no detector and no buffer', async (_what, change) => {
    const r = rig({ settings: { preRollMs: 250 } });
    r.gate.start();
    await r.tick();
    r.mic.deliver();
    r.machine.set(change, true);
    await r.tick();
    expect(r.mic.isOpen).toBe(false);
    expect(r.gate.heldSamples).toBe(0); // the pre-roll is forgotten
    r.mic.deliver();
    expect(r.wakeHeard).toHaveLength(1);
    expect(r.gate.heldSamples).toBe(0);
  });

  it('view changes while listening do not reopen the microphone', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.machine.set({ state: 'thinking' }, true);
    r.machine.set({ state: 'idle', night: true }, true);
    await r.tick();
    expect(r.mic.opens).toBe(1);
    expect(r.mic.isOpen).toBe(true);
  });

  it('a microphone that will not open: the owner is told why (its code, or MIC_OPEN_FAILED)', async () => {
    const r = rig();
    r.mic.failOpen = true;
    r.gate.start();
    await r.tick();
    expect(r.problems).toEqual(['MIC_OPEN_FAILED']);
    expect(r.messages).toEqual(['no capture device']);
    const c = rig();
    c.mic.failOpen = new HalError('DEVICE_UNAVAILABLE', 'microphone', 'permission denied');
    c.gate.start();
    await c.tick();
    expect(c.problems).toEqual(['DEVICE_UNAVAILABLE']);
  });

  it('a capture failure the driver reports is passed on to the owner', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.mic.reportError(new HalError('DEVICE_READ_FAILED', 'microphone', 'capture stopped'));
    expect(r.problems).toEqual(['DEVICE_READ_FAILED']);
  });

  it('stop ends an open stream as a shutdown the service discards, closes the mic and stops listening', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    await openStream(r);
    const sent = r.sentSamples();
    await r.gate.stop();
    expect(r.ended).toEqual(['abort shutdown']);
    expect(r.ledgerClosed).toMatchObject([{ endReason: 'shutdown', audioBytes: sent * 2 }]);
    expect(r.mic.isOpen).toBe(false);
    r.mic.deliver(); // the driver keeps going
    expect(r.sentSamples()).toBe(sent);
    expect(r.wakeHeard).toHaveLength(1);
    await expect(r.gate.stop()).resolves.toBeUndefined(); // a second shutdown is harmless
    expect(r.mic.isOpen).toBe(false);
  });
});

describe('privacy gate: the wake word detector', () => {
  it('push-to-talk forgets what the wake word heard; other view changes leave the detector alone', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.mic.deliver();
    const resets = r.wakeResets;
    r.machine.set({ notification: { kind: 'timer', label: 'Tea' } }, true);
    r.machine.set({ state: 'thinking' }, true);
    expect(r.wakeResets).toBe(resets); // a half-heard wake word survives a ring animation
    r.machine.set({ state: 'idle', pushToTalk: true }, true);
    expect(r.wakeResets).toBe(resets + 1);
    r.mic.deliver();
    expect(r.wakeHeard).toHaveLength(1); // push-to-talk: the detector hears nothing more
  });

  it('a device without a wake word (button only) streams, mutes and goes push-to-talk', async () => {
    const r = rig({ noWake: true });
    r.gate.start();
    await r.tick();
    r.mic.deliver();
    await openStream(r);
    r.mic.deliver();
    expect(r.sentSamples()).toBe(2 * FRAME);
    r.machine.set({ muted: true, micPowered: false, state: 'muted', stream: null, lastStreamEnd: { id: 7, reason: 'mute' } }, true);
    expect(r.ended).toEqual(['abort mute']);
    r.machine.set({ muted: false, micPowered: true, state: 'idle', pushToTalk: true }, true);
    await r.tick();
    expect(r.mic.isOpen).toBe(true);
    expect(r.problems).toEqual([]);
  });
});

describe('privacy gate: pre-roll settings', () => {
  it('lowering the pre-roll takes effect at once: the next stream starts with the newest audio of the new length', async () => {
    const r = rig({ settings: { preRollMs: 500 } });
    r.gate.start();
    await r.tick();
    for (let i = 1; i <= 10; i++) r.mic.deliver(frame(i));
    expect(r.gate.heldSamples).toBe(8000);
    r.settings.preRollMs = 100;
    r.gate.applySettings();
    expect(r.gate.preRollCapacity).toBe(1600);
    expect(r.gate.heldSamples).toBe(1600);
    await openStream(r);
    expect(r.opened[0]!.preRollMs).toBe(100);
    const preRoll = r.written[0]!;
    expect(preRoll).toHaveLength(1600);
    expect(Array.from(preRoll.subarray(0, 320))).toEqual(new Array(320).fill(9));
    expect(Array.from(preRoll.subarray(320))).toEqual(new Array(FRAME).fill(10));
  });
});
