import { describe, expect, it } from 'vitest';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { FRAME, frame, openStream, rig, type Rig } from './gate-rig.ts';

// One stream through the gate: what is held while the indicator is not confirmed, what
// the service, the ledger and the history are told, and how each way out ends it.

const stream7 = { id: 7, trigger: 'button' } as AttentionView['stream'];

async function started(opts?: Parameters<typeof rig>[0]): Promise<Rig> {
  const r = rig(opts);
  r.gate.start();
  await r.tick();
  return r;
}

describe('privacy gate: while the indicator is not confirmed', () => {
  it('holds exactly what it heard, sends it on release, and holds nothing once audio flows', async () => {
    const r = await started();
    const released: [number, number][] = [];
    r.gate.on('released', (id) => released.push([id, r.written.length]));
    r.machine.set({ state: 'listening', stream: stream7 }, true);
    r.mic.deliver(frame(1));
    r.mic.deliver(frame(2));
    expect(r.gate.heldSamples).toBe(2 * FRAME);
    expect(r.gate.streamPhase).toBe('awaiting-indicator');
    expect(r.written).toHaveLength(0);
    r.acks.shift()!();
    await r.tick();
    expect(released).toEqual([[7, 0]]); // announced before the first byte
    expect(r.gate.streamPhase).toBe('open');
    expect(r.written.map((w) => w[0])).toEqual([1, 2]);
    r.mic.deliver(frame(3));
    expect(r.gate.heldSamples).toBe(0);
    r.machine.set({ state: 'idle', stream: null, lastStreamEnd: { id: 7, reason: 'end-of-speech' } }, true);
    expect(r.gate.streamPhase).toBeNull();
    expect(r.gate.activeStreamId).toBeNull();
  });

  it('a driver that reuses its frame buffer: the queued audio is sent as it was heard', async () => {
    const r = await started();
    r.machine.set({ state: 'listening', stream: stream7 }, true);
    const buf = new Int16Array(FRAME);
    r.mic.deliver(buf.fill(1));
    r.mic.deliver(buf.fill(2));
    r.acks.shift()!();
    await r.tick();
    expect(r.written.map((w) => w[0])).toEqual([1, 2]);
  });

  it('an indicator that fails: the stream is refused, the owner told why, the machine told the code', async () => {
    const r = await started();
    r.machine.set({ state: 'listening', stream: stream7 }, true);
    expect(r.pending[0]).toMatchObject({ version: r.machine.view.version, budgetMs: r.settings.indicatorAckBudgetMs });
    r.pending[0]!.fail({ code: 'INDICATOR_TIMEOUT' });
    await r.tick();
    expect(r.problems).toEqual(['INDICATOR_TIMEOUT']);
    expect(r.messages[0]).toMatch(/indicator not confirmed/);
    expect(r.machine.sent).toEqual([{ type: 'indicator-failed', code: 'INDICATOR_TIMEOUT' }]);
    const n = await started();
    n.machine.set({ state: 'listening', stream: stream7 }, true);
    n.pending[0]!.fail(new Error('ring gone'));
    await n.tick();
    expect(n.problems).toEqual(['INDICATOR_FAILED']);
    expect(n.machine.sent).toEqual([{ type: 'indicator-failed', code: 'INDICATOR_FAILED' }]);
    expect(n.opened).toHaveLength(0);
  });

  it('an indicator failing for a stream that already ended is no error: nothing is refused, nobody alarmed', async () => {
    const r = await started();
    r.machine.set({ state: 'listening', stream: stream7 }, true);
    r.machine.set({ state: 'idle', stream: null, lastStreamEnd: { id: 7, reason: 'button-stop' } }, true);
    r.pending[0]!.fail({ code: 'INDICATOR_TIMEOUT' });
    await r.tick();
    expect(r.problems).toEqual([]);
    expect(r.machine.sent).toEqual([]);
  });

  it('a stream the gate has ended is never released, even if a faulty machine shows its id again', async () => {
    const r = await started();
    r.machine.set({ state: 'listening', stream: stream7 }, true);
    r.mic.deliver();
    r.machine.set({ state: 'idle', stream: null, lastStreamEnd: { id: 7, reason: 'button-stop' } }, true);
    r.machine.set({ state: 'listening', stream: stream7 }, false);
    r.acks.shift()!();
    await r.tick();
    expect(r.opened).toHaveLength(0);
    expect(r.written).toHaveLength(0);
  });
});

describe('privacy gate: what the service and the ledger are told', () => {
  it('a wake word stream names its wake word to the service and the ledger; a button stream names none', async () => {
    const w = await started();
    await openStream(w, { trigger: 'wake', wakeWord: 'alexa' });
    expect(w.opened[0]).toMatchObject({ streamId: 7, trigger: 'wake', wakeWord: 'alexa' });
    expect(w.ledgerOpened[0]).toMatchObject({ streamId: 7, trigger: 'wake', wakeWord: 'alexa', destination: 'test-service' });
    const b = await started();
    await openStream(b);
    expect(b.opened[0]).toEqual({ streamId: 7, trigger: 'button', preRollMs: 0 });
    expect(b.ledgerOpened[0]!.wakeWord).toBeNull();
  });

  it('a service that cannot open the stream: nothing is sent or logged, the owner and the machine are told', async () => {
    const r = await started();
    r.openError = Object.assign(new Error('service busy'), { code: 'WYOMING_BUSY' });
    await openStream(r);
    expect(r.written).toHaveLength(0);
    expect(r.ledgerOpened).toHaveLength(0);
    expect(r.problems).toEqual(['WYOMING_BUSY']);
    expect(r.messages).toEqual(['service busy']);
    expect(r.machine.sent).toEqual([{ type: 'service', signal: 'error', code: 'VOICE_STREAM_FAILED' }]);
    const n = await started();
    n.openError = new Error('no code');
    await openStream(n);
    expect(n.problems).toEqual(['VOICE_STREAM_FAILED']);
  });

  it('the service closing the stream inside a write stops the queued audio quietly (no false refusal)', async () => {
    const r = await started();
    r.machine.set({ state: 'listening', stream: stream7 }, true);
    for (let i = 0; i < 3; i++) r.mic.deliver();
    r.onWrite = () => r.machine.set({ state: 'thinking', stream: null, lastStreamEnd: { id: 7, reason: 'processed' } }, true);
    r.acks.shift()!();
    await r.tick();
    expect(r.written).toHaveLength(1);
    expect(r.ended).toEqual(['end processed']);
    expect(r.problems).toEqual([]);
  });

  it('the connection wrote more than the gate released: the owner gets both counts, the machine a latched fault', async () => {
    const r = await started();
    await openStream(r);
    r.extraEgress = 2 * FRAME;
    r.mic.deliver();
    const message = `the gate released ${4 * FRAME} bytes but the connection wrote ${6 * FRAME}: streaming stopped until restart`;
    expect(r.problems).toEqual(['EGRESS_MISMATCH']);
    expect(r.messages).toEqual([message]);
    expect(r.machine.sent).toEqual([{ type: 'fault', code: 'EGRESS_MISMATCH', message, latched: true }]);
  });

  it('a write refused by the gate says so in words', async () => {
    const r = await started();
    await openStream(r);
    r.machine.set({ stream: null, state: 'idle' }, false);
    r.mic.deliver();
    expect(r.problems).toEqual(['GATE_REFUSED']);
    expect(r.messages[0]).toMatch(/audio refused/);
  });
});

describe('privacy gate: how a flowing stream ends', () => {
  it.each([
    ['no end recorded', null],
    ['the end of an older stream recorded', { id: 6, reason: 'processed' }],
  ] as const)('the machine drops it with %s: the service is told to discard it (shutdown)', async (_what, lastStreamEnd) => {
    const r = await started();
    await openStream(r);
    r.machine.set({ state: 'idle', stream: null, lastStreamEnd }, true);
    expect(r.ended).toEqual(['abort shutdown']);
    expect(r.ledgerClosed).toMatchObject([{ endReason: 'shutdown' }]);
  });

  it('the history is handed exactly the audio that left, with its ledger entry', async () => {
    const r = await started();
    await openStream(r);
    r.mic.deliver(frame(5));
    r.mic.deliver(frame(6));
    r.machine.set({ state: 'thinking', stream: null, lastStreamEnd: { id: 7, reason: 'end-of-speech' } }, true);
    expect(r.ended).toEqual(['end end-of-speech']);
    expect(r.closed).toHaveLength(1);
    const sent = r.written.flatMap((w) => Array.from(w));
    expect(Array.from(r.closed[0]!.audio)).toEqual(sent);
    expect(sent).toHaveLength(3 * FRAME);
    expect(r.closed[0]!.entry).toMatchObject({ id: 'l1', streamId: 7, trigger: 'button' });
    expect(r.ledgerClosed).toMatchObject([{ endReason: 'end-of-speech', audioBytes: 3 * FRAME * 2 }]);
  });
});
