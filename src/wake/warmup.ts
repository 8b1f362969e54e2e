/**
 * The deterministic warm-up signal for the feature buffer: 4 s of int16 noise in
 * [−1000, 1000) from a 32-bit LCG (seed 1). Upstream uses unseeded random noise here,
 * which makes scores of frames 5–14 unreproducible; the golden vectors define this one.
 */
export const WARMUP_SAMPLES = 64_000;

export function warmupNoise(seed = 1, n = WARMUP_SAMPLES): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    out[i] = Math.floor((2000 * s) / 2 ** 32) - 1000;
  }
  return out;
}
