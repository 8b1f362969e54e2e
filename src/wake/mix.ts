/**
 * Mixes a noise bed under a signal at a given SNR. The signal level is its *active*
 * level (mean power of the 20 ms blocks within 30 dB of the loudest, a simplified
 * ITU-T P.56), so silence padding around an utterance does not inflate the noise.
 * The noise loops from a seed-dependent offset so different files get different noise.
 */
const BLOCK = 320;

export function activePower(signal: Int16Array): number {
  const blocks: number[] = [];
  for (let b = 0; b < signal.length; b += BLOCK) {
    let e = 0;
    const end = Math.min(signal.length, b + BLOCK);
    for (let i = b; i < end; i++) e += signal[i]! * signal[i]!;
    blocks.push(e / (end - b));
  }
  const max = Math.max(0, ...blocks);
  const active = blocks.filter((e) => e >= max * 1e-3 && e > 0);
  return active.length ? active.reduce((a, b) => a + b, 0) / active.length : 0;
}

export function mixAtSnr(signal: Int16Array, noise: Int16Array, snrDb: number, seed: number): Int16Array {
  if (noise.length === 0) return signal;
  const offset = Math.floor(((seed * 2654435761) >>> 0) % noise.length);
  let pn = 0;
  for (let i = 0; i < signal.length; i++) pn += noise[(offset + i) % noise.length]! ** 2;
  pn /= Math.max(1, signal.length);
  const ps = activePower(signal);
  // Digital silence has no level to be relative to: leave it silent rather than divide by zero.
  const gain = pn === 0 || ps === 0 ? 0 : Math.sqrt(ps / pn / 10 ** (snrDb / 10));
  const out = new Int16Array(signal.length);
  for (let i = 0; i < signal.length; i++) {
    const v = Math.round(signal[i]! + gain * noise[(offset + i) % noise.length]!);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
