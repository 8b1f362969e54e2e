/**
 * Band-limited resampling (windowed sinc, Blackman window, 16 zero crossings each side).
 * Good enough for feeding speech models; not a mastering-grade converter.
 */
const HALF_TAPS = 16;

export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const ratio = toRate / fromRate;
  // Low-pass at the lower of the two Nyquist frequencies, in input-sample units.
  const cutoff = Math.min(1, ratio);
  const radius = HALF_TAPS / cutoff;
  const outLen = Math.floor(input.length * ratio);
  const out = new Float32Array(outLen);
  for (let i = 0; i < outLen; i++) {
    const t = i / ratio;
    const lo = Math.max(0, Math.ceil(t - radius));
    const hi = Math.min(input.length - 1, Math.floor(t + radius));
    let acc = 0;
    for (let j = lo; j <= hi; j++) {
      const x = t - j;
      const w = 0.42 + 0.5 * Math.cos((Math.PI * x) / radius) + 0.08 * Math.cos((2 * Math.PI * x) / radius);
      const arg = Math.PI * x * cutoff;
      acc += input[j]! * w * cutoff * (arg === 0 ? 1 : Math.sin(arg) / arg);
    }
    out[i] = acc;
  }
  return out;
}
