import { EventEmitter } from 'node:events';
import { simBoard } from '../boards/sim.ts';
import { SystemClock } from '../hal/base/clock.ts';
import { SimVoiceService } from '../src/voice/sim-voice-service.ts';
import { buildSimDevice } from '../test/support/sim-device.ts';
import { measured, summarize, type BenchResult } from './types.ts';

/**
 * The privacy gate's latencies on the sim board, in real time:
 * - wake detection → indicator acknowledged → first audio byte at the voice service;
 *   reference: the bare sim ring latching one frame (the acknowledgement alone).
 * - mute press → stream aborted; reference: one synchronous EventEmitter dispatch.
 */
export const suite = 'gate';

async function makeDevice() {
  const clock = new SystemClock();
  // No speaker: the mute tones would (rightly) suppress wake detection between iterations.
  const { tones: _tones, ...roles } = simBoard.roles;
  const voice = new SimVoiceService({ clock, autoRespond: false });
  const { sim, wake, device } = buildSimDevice({ clock, voice, board: { ...simBoard, roles }, settings: { startTone: false, endTone: false } });
  await device.start();
  return { sim, voice, wake, device };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const n = quick ? 40 : 400;
  const { sim, voice, wake, device } = await makeDevice();
  const frame = new Int16Array(sim.microphone.frameSamples).fill(100);
  for (let i = 0; i < 8; i++) sim.microphone.feed(frame);

  const detectToByte: number[] = [];
  const muteToAbort: number[] = [];
  let firstByteAt = 0;
  let abortedAt = 0;
  const open = voice.openStream.bind(voice);
  voice.openStream = (info) => {
    const s = open(info);
    return {
      get egress() {
        return s.egress;
      },
      write: (x) => ((firstByteAt ||= performance.now()), s.write(x)),
      end: (r) => s.end(r),
      abort: (r) => ((abortedAt ||= performance.now()), s.abort(r)),
    };
  };
  for (let i = 0; i < n; i++) {
    // Wait until the mic is live again after the previous unmute.
    while (!wake.live) {
      sim.microphone.feed(frame);
      await settle();
    }
    firstByteAt = 0;
    abortedAt = 0;
    const t0 = performance.now();
    if (!wake.trigger()) throw new Error('wake not accepted');
    while (!firstByteAt) await settle();
    detectToByte.push((firstByteAt - t0) * 1000);
    const t1 = performance.now();
    sim.muteButton!.press();
    if (!abortedAt) throw new Error('mute did not abort the stream synchronously');
    muteToAbort.push((abortedAt - t1) * 1000);
    sim.muteButton!.press();
    await settle();
  }

  // Reference 1: the sim ring latching one frame, on its own.
  const ringRef: number[] = [];
  const blue = Array.from({ length: sim.ring!.pixelCount }, () => [0, 40, 255] as const);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await sim.ring!.show(blue);
    ringRef.push((performance.now() - t) * 1000);
  }
  // Reference 2: one synchronous EventEmitter dispatch.
  const ee = new EventEmitter();
  let hit = 0;
  ee.on('x', () => hit++);
  const emitRef: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    ee.emit('x');
    emitRef.push((performance.now() - t) * 1000);
  }
  await device.stop();
  if (hit !== n || detectToByte.length !== n) throw new Error('benchmark did not run every iteration');

  const a = summarize(detectToByte);
  const ar = summarize(ringRef);
  const m = summarize(muteToAbort);
  const mr = summarize(emitRef);
  return [
    { name: 'gate.detection_to_first_byte.p50', value: round(a.p50), unit: 'us', ref: measured('sim ring latch alone, p50', round(ar.p50)), ratio: round(a.p50 / ar.p50), scope: 'scripted wake, sim ring acknowledging in a microtask, no screen: the gate\'s own cost; the real path is e2e.speech_onset_to_first_byte' },
    { name: 'gate.detection_to_first_byte.p99', value: round(a.p99), unit: 'us', ref: measured('sim ring latch alone, p99', round(ar.p99)), ratio: round(a.p99 / ar.p99) },
    { name: 'gate.mute_to_abort.p50', value: round(m.p50), unit: 'us', ref: measured('one EventEmitter dispatch, p50', round(mr.p50)), ratio: round(m.p50 / mr.p50) },
    { name: 'gate.mute_to_abort.p99', value: round(m.p99), unit: 'us', ref: measured('one EventEmitter dispatch, p99', round(mr.p99)), ratio: round(m.p99 / mr.p99) },
  ];
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
