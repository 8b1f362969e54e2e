/** Deterministic test signals for the echo canceller tests. */
export function noise(n: number, amplitude: number, seed = 1): Int16Array {
  const out = new Int16Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = Math.round(((s / 0x7fffffff) * 2 - 1) * amplitude);
  }
  return out;
}

/** Noise with a syllable-like 4 Hz envelope: closer to speech than flat noise. */
export function babble(n: number, amplitude: number, seed = 7): Int16Array {
  const x = noise(n, amplitude, seed);
  for (let i = 0; i < n; i++) x[i] = Math.round(x[i]! * (0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / 16_000)));
  return x;
}

export function db(a: Int16Array | Float32Array, b: Int16Array | Float32Array): number {
  let ea = 0;
  let eb = 0;
  for (let i = 0; i < a.length; i++) ea += a[i]! * a[i]!;
  for (let i = 0; i < b.length; i++) eb += b[i]! * b[i]!;
  return 10 * Math.log10((ea + 1) / (eb + 1));
}
