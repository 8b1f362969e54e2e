import { describe, expect, it } from 'vitest';
import { loadEchoCanceller } from '../../hal/aec/load-echo-canceller.ts';
import { applyEchoPath, DEFAULT_ECHO_PATH } from '../../hal/sim/sim-echo-path.ts';
import type { EchoCanceller } from '../../hal/aec/echo-canceller.ts';
import { babble, db, noise } from './signals.ts';

async function speex(): Promise<EchoCanceller> {
  const r = await loadEchoCanceller();
  if (!r.ok) throw new Error(`libspeexdsp must be installed for this test (.ci/run installs it): ${r.code} ${r.reason}`);
  return r.canceller;
}

/** Echo through the sim room, aligned the way the stage aligns it (delay minus 8 ms). */
function echoScene(seconds: number) {
  const n = 16_000 * seconds;
  const far = babble(n, 9000);
  const echo = applyEchoPath(far, { ...DEFAULT_ECHO_PATH, delayMs: 8 });
  const mic = new Int16Array(n);
  const room = noise(n, 30, 99);
  for (let i = 0; i < n; i++) mic[i] = Math.round(echo[i]! + room[i]!);
  return { far, mic };
}

describe('Speex echo canceller (libspeexdsp via koffi)', () => {
  it('removes more than 20 dB of the sim room echo once converged', async () => {
    const c = await speex();
    const { far, mic } = echoScene(6);
    const out = new Int16Array(mic.length);
    for (let k = 0; k < mic.length; k += 1280) out.set(c.process(mic.subarray(k, k + 1280), far.subarray(k, k + 1280)), k);
    const last = 16_000 * 2;
    expect(db(mic.subarray(-last), out.subarray(-last))).toBeGreaterThan(20);
    c.close();
  });

  it('cannot cancel an echo that leads its reference (the misalignment the aligner prevents)', async () => {
    const c = await speex();
    const { far, mic } = echoScene(6);
    const late = new Int16Array(far.length);
    late.set(far.subarray(0, far.length - 1600), 1600); // reference 100 ms after its echo
    const out = new Int16Array(mic.length);
    for (let k = 0; k < mic.length; k += 1280) out.set(c.process(mic.subarray(k, k + 1280), late.subarray(k, k + 1280)), k);
    const last = 16_000 * 2;
    // The residual suppressor still takes a few dB; the linear filter takes nothing.
    expect(db(mic.subarray(-last), out.subarray(-last))).toBeLessThan(12);
    c.close();
  });

  it('keeps a near-end talker while cancelling (double talk)', async () => {
    const c = await speex();
    const { far, mic } = echoScene(6);
    const talker = babble(mic.length, 3000, 1234);
    const both = new Int16Array(mic.length);
    for (let i = 0; i < mic.length; i++) both[i] = Math.max(-32768, Math.min(32767, mic[i]! + (i > 16_000 * 4 ? talker[i]! : 0)));
    const out = new Int16Array(mic.length);
    for (let k = 0; k < mic.length; k += 1280) out.set(c.process(both.subarray(k, k + 1280), far.subarray(k, k + 1280)), k);
    const tail = out.subarray(-16_000);
    // What is left is mostly the talker: within 6 dB of the talker alone.
    expect(Math.abs(db(tail, talker.subarray(-16_000)))).toBeLessThan(6);
    c.close();
  });

  it('rejects frames that are not whole blocks, and use after close', async () => {
    const c = await speex();
    expect(() => c.process(new Int16Array(1000), new Int16Array(1000))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    c.close();
    c.close();
    expect(() => c.process(new Int16Array(1280), new Int16Array(1280))).toThrow(expect.objectContaining({ code: 'DEVICE_CLOSED' }));
  });

  it('a missing library is a coded reason, not a crash (the guard fallback)', async () => {
    const r = await loadEchoCanceller({ libraryPath: '/nonexistent/libspeexdsp.so.1' });
    expect(r).toMatchObject({ ok: false, code: 'AEC_LIBRARY_MISSING' });
  });
});
