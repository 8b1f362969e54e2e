/**
 * Finds the bulk delay between what the speaker was given (far end) and when the mic
 * hears it: output buffering + capture buffering + air, which differs per board and per
 * ALSA configuration. Plain cross-correlation of 2 kHz envelopes over one second, only
 * while the far end is loud; an estimate is taken only when its peak is clear (periodic
 * far ends such as a held tone give several near-equal peaks and are skipped).
 */
const DECIMATE = 8; // 16 kHz → 2 kHz: 0.5 ms resolution (the aligner keeps 8 ms of margin), 64× fewer multiply-adds
export interface DelayEstimate {
  delayMs: number;
  /** Normalised correlation at the peak, 0..1. */
  peak: number;
}

export function estimateDelay(mic: Int16Array, farEnd: Int16Array, maxLagMs: number): DelayEstimate | null {
  // farEnd covers [end - mic.length - maxLag, end); mic covers [end - mic.length, end).
  const maxLag = Math.floor((maxLagMs * 16) / DECIMATE);
  const m = decimate(mic);
  const f = decimate(farEnd);
  if (f.length < m.length + maxLag) return null;
  const base = f.length - m.length; // index in f aligned with m[0] at zero lag
  const mEnergy = energy(m, 0, m.length);
  if (mEnergy === 0) return null;
  let best = -1;
  let bestLag = -1;
  const scores = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    const off = base - lag;
    let acc = 0;
    for (let i = 0; i < m.length; i++) acc += m[i]! * f[off + i]!;
    const fe = energy(f, off, m.length);
    const score = fe > 0 ? Math.abs(acc) / Math.sqrt(mEnergy * fe) : 0;
    scores[lag] = score;
    if (score > best) {
      best = score;
      bestLag = lag;
    }
  }
  // Clear peak: nothing farther than 5 ms from it comes within 80 % of it.
  const guard = Math.round((5 * 16) / DECIMATE);
  for (let lag = 0; lag <= maxLag; lag++) {
    if (Math.abs(lag - bestLag) > guard && scores[lag]! > 0.8 * best) return null;
  }
  return { delayMs: (bestLag * DECIMATE) / 16, peak: best };
}

function decimate(x: Int16Array): Float64Array {
  const out = new Float64Array(Math.floor(x.length / DECIMATE));
  for (let i = 0; i < out.length; i++) {
    let acc = 0;
    for (let j = 0; j < DECIMATE; j++) acc += x[i * DECIMATE + j]!;
    out[i] = acc / DECIMATE;
  }
  return out;
}

function energy(x: Float64Array, from: number, n: number): number {
  let e = 0;
  for (let i = from; i < from + n; i++) e += x[i]! * x[i]!;
  return e;
}
