import { describe, expect, it } from 'vitest';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { FRAME, frame, openStream, rig } from './gate-rig.ts';

// Defence in depth, each inner check on its own: the outer layers that mask these checks
// on a real device (the microphone stops delivering once closed, the attention machine
// announces every change at once) are switched off on purpose here (see gate-rig.ts).
// What is asserted is what left the device: bytes written to the voice stream.

describe('privacy gate, defence in depth', () => {
  it('baseline: with every layer working, frames reach the wake word and an open stream', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    expect(r.mic.isOpen).toBe(true);
    r.mic.deliver();
    expect(r.wakeHeard).toHaveLength(1);
    await openStream(r);
    r.mic.deliver();
    expect(r.sentSamples()).toBe(2 * FRAME);
    expect(r.problems).toEqual([]);
  });

  it('a mic that keeps delivering after the gate closed it for the mute: nothing is heard, held or sent', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.machine.set({ muted: true, micPowered: false, state: 'muted' }, true);
    await r.tick();
    expect(r.mic.isOpen).toBe(false);
    r.machine.set({ muted: false, micPowered: true, state: 'idle' }, false); // the machine lags: capture would be allowed, but the gate did not reopen
    for (let i = 0; i < 5; i++) r.mic.deliver();
    expect(r.wakeHeard).toHaveLength(0);
    expect(r.gate.heldSamples).toBe(0);
  });

  it('a mic that said it closed (unplugged) but still delivers: ignored until the gate opens it again', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.mic.reportClosed();
    r.mic.deliver();
    expect(r.wakeHeard).toHaveLength(0);
    expect(r.gate.heldSamples).toBe(0);
  });

  it('muted by a machine that has not announced it yet: the very next frame is refused, though the mic is still open', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    await openStream(r);
    const before = r.sentSamples();
    r.machine.set({ muted: true, micPowered: false }, false);
    r.mic.deliver();
    expect(r.sentSamples()).toBe(before);
    expect(r.wakeHeard).toHaveLength(1); // only the frame before the stream opened
  });

  it.each([
    ['paused', { paused: true }],
    ['faulted', { fault: { code: 'X', message: 'x' } }],
    ['mic power withdrawn', { micPowered: false }],
  ] as const)('%s by a lagging machine: the next frame is not sent', async (_what, change) => {
    const r = rig();
    r.gate.start();
    await r.tick();
    await openStream(r);
    const before = r.sentSamples();
    r.machine.set(change, false);
    r.mic.deliver();
    expect(r.sentSamples()).toBe(before);
  });

  it('the relay commanded open (mute hardware) while the machine still says unmuted: nothing is sent', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    await openStream(r);
    const before = r.sentSamples();
    r.mute.micPowerCommanded = false;
    r.mic.deliver();
    expect(r.sentSamples()).toBe(before);
    r.mute.micPowerCommanded = true;
    r.mute.faulted = true;
    r.mic.deliver();
    expect(r.sentSamples()).toBe(before);
  });

  it('the machine closed the stream without announcing it: the next write is refused and the stream ended', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    await openStream(r);
    const before = r.sentSamples();
    r.machine.set({ stream: null, state: 'idle' }, false);
    r.mic.deliver();
    expect(r.sentSamples()).toBe(before);
    expect(r.problems).toEqual(['GATE_REFUSED']);
    expect(r.ended).toEqual(['abort shutdown']);
    expect(r.gate.activeStreamId).toBeNull();
  });

  it.each([
    ['muted', { muted: true }, 'abort mute'],
    ['paused', { paused: true }, 'abort shutdown'],
    ['faulted', { fault: { code: 'X', message: 'x' } }, 'abort fault'],
  ] as const)('%s while the stream was opening (the machine lags): the held audio is refused chunk by chunk, never sent', async (_what, change, end) => {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.onOpen = () => r.machine.set(change, false);
    await openStream(r);
    expect(r.written).toHaveLength(0);
    expect(r.problems).toEqual(['GATE_REFUSED']);
    expect(r.ended).toEqual([end]);
  });

  it('the relay commanded open while the stream was opening: the held audio is refused', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.onOpen = () => void (r.mute.micPowerCommanded = false);
    await openStream(r);
    expect(r.written).toHaveLength(0);
    expect(r.problems).toEqual(['GATE_REFUSED']);
  });

  it.each([
    ['muted', { muted: true }],
    ['relay-powered off', { micPowered: false }],
    ['closed the stream', { stream: null }],
    ['moved on to another stream', { stream: { id: 8, trigger: 'button' } as AttentionView['stream'] }],
  ] as const)('%s by a lagging machine before the indicator confirmed: the service is never even asked to open a stream', async (_what, change) => {
    const r = rig();
    r.gate.start();
    await r.tick();
    let opened = 0;
    r.onOpen = () => void opened++;
    r.machine.set({ state: 'listening', stream: { id: 7, trigger: 'button' } as AttentionView['stream'] }, true);
    r.mic.deliver();
    r.machine.set(change, false);
    r.acks.shift()!();
    await r.tick();
    expect(opened).toBe(0);
    expect(r.written).toHaveLength(0);
  });
});

describe('privacy gate: proof of deafness while muted', () => {
  async function muted() {
    const r = rig();
    r.gate.start();
    await r.tick();
    r.machine.set({ muted: true, micPowered: false, state: 'muted' }, true);
    r.mute.micPowerCommanded = false;
    await r.tick();
    expect(r.mic.isOpen).toBe(false);
    return r;
  }
  /** Runs a probe of 1 s, delivering `frames` while it is open. */
  async function probe(r: ReturnType<typeof rig>, frames: Int16Array<ArrayBufferLike>[]) {
    const verdict = r.gate.probeDeafness(1000);
    await r.tick();
    expect(r.gate.probing).toBe(true);
    for (const f of frames) r.mic.deliver(f);
    r.clock.advance(999);
    await r.tick();
    expect(r.gate.probing).toBe(true);
    r.clock.advance(1);
    const v = await verdict;
    expect(r.gate.probing).toBe(false);
    expect(r.mic.isOpen).toBe(false); // the mic is closed again after every probe
    return v;
  }

  it('a live signal with the relay open is "live"; what it heard reaches nothing else', async () => {
    const r = await muted();
    expect(await probe(r, [frame(0), frame(65)])).toBe('live');
    expect(r.wakeHeard).toHaveLength(0);
    expect(r.gate.heldSamples).toBe(0);
  });

  it('samples at the noise floor (|x| <= 64, either sign) are "silent"; no frame at all is "absent"', async () => {
    const r = await muted();
    expect(await probe(r, [frame(64), frame(-64), frame(0)])).toBe('silent');
    expect(await probe(r, [new Int16Array(FRAME).fill(-65)])).toBe('live');
    expect(await probe(r, [])).toBe('absent');
  });

  it('a peak anywhere in the frame counts', async () => {
    const r = await muted();
    const f = frame(0);
    f[FRAME - 1] = 3000;
    expect(await probe(r, [f])).toBe('live');
  });

  it('audio while the relay is commanded closed does not count against the mute', async () => {
    const r = await muted();
    r.mute.micPowerCommanded = true;
    expect(await probe(r, [frame(5000)])).toBe('silent');
  });

  it('a capture device that will not open is "absent", and the probe is over', async () => {
    const r = await muted();
    r.mic.failOpen = true;
    expect(await r.gate.probeDeafness(1000)).toBe('absent');
    expect(r.gate.probing).toBe(false);
    r.mic.failOpen = false;
    r.mic.deliver(frame(9000));
    expect(await probe(r, [])).toBe('absent'); // the frame outside the probe did not count
  });

  it('nothing to prove when capture is allowed, the mic is already open, or the gate stopped', async () => {
    const r = rig();
    r.gate.start();
    await r.tick();
    expect(await r.gate.probeDeafness(1000)).toBe('skipped');
    expect(r.mic.opens).toBe(1);
    const m = await muted();
    await m.mic.open();
    expect(await m.gate.probeDeafness(1000)).toBe('skipped');
    const s = await muted();
    await s.gate.stop();
    expect(await s.gate.probeDeafness(1000)).toBe('skipped');
    expect(s.mic.isOpen).toBe(false);
  });

  it('unmuting during a probe ends it at once ("skipped") and gives the mic back to capture', async () => {
    const r = await muted();
    const verdict = r.gate.probeDeafness(60_000);
    await r.tick();
    r.mic.deliver(frame(10));
    r.mute.micPowerCommanded = true;
    r.machine.set({ muted: false, micPowered: true, state: 'idle' }, true);
    expect(await verdict).toBe('skipped');
    await r.tick();
    expect(r.mic.isOpen).toBe(true);
    r.mic.deliver();
    expect(r.wakeHeard).toHaveLength(1);
  });

  it('stopping the device during a probe ends it and leaves the mic closed', async () => {
    const r = await muted();
    const verdict = r.gate.probeDeafness(60_000);
    await r.tick();
    await r.gate.stop();
    expect(await verdict).toBe('skipped');
    expect(r.mic.isOpen).toBe(false);
  });
});
