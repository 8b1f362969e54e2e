import type { EchoCanceller } from './echo-canceller.ts';
import type { FarEndTimeline } from './far-end-timeline.ts';
import { estimateDelay } from './delay-estimator.ts';

export interface EchoCancelStageOptions {
  canceller: EchoCanceller;
  timeline: FarEndTimeline;
  now: () => number;
  /** The board's expected playback → capture delay (ms). */
  delayMs: number;
  /** Refine the delay by cross-correlation while the far end plays. Default on. */
  estimateDelay?: boolean;
  /** Longest delay the estimator looks for (ms). Default 400. */
  maxDelayMs?: number;
  /** Planted-bug hook for the bench: shift the reference by this much (ms) after alignment. */
  misalignMs?: number;
}

/** Echo return loss enhancement (dB) the canceller must reach before it is trusted. */
export const CONVERGED_ERLE_DB = 10;
/** ...over the last this many frames with a loud far end (energies summed: pauses in speech do not count). */
const CONVERGED_FRAMES = 6;
/** Keep alignment a little early so jitter never makes the echo lead its reference. */
const ALIGN_MARGIN_MS = 8;
const ESTIMATE_EVERY_FRAMES = 12; // about once a second at 80 ms frames, until it agrees
const ESTIMATE_SETTLED_EVERY_FRAMES = 60; // then every ~5 s, to follow a change
const ESTIMATE_WINDOW_FRAMES = 12;
const LOUD_REFERENCE_RMS = 100;

/**
 * One mic frame in, the echo-cancelled frame out. The frame's last sample is taken to be
 * captured at `now()` (frame arrival); the reference for it is read `delayMs` earlier on
 * the far-end time line. While nothing has played within the canceller's tail the frame
 * passes through untouched (nothing to cancel, no CPU spent).
 *
 * `converged` latches once the canceller's linear filter removed ≥ 10 dB of a loud far
 * end over its last six loud frames (residual suppression does not count: it removes
 * energy even when the filter has learned nothing); until then the device keeps the self-wake guard on. It is cleared by
 * `reset()` and when the estimated delay moves (the filter must learn the path again).
 */
export class EchoCancelStage {
  readonly canceller: EchoCanceller;
  readonly #o: EchoCancelStageOptions;
  #delayMs: number;
  #converged = false;
  #loud: { mic: number; out: number }[] = [];
  #framesSinceEstimate = 0;
  #agreeing = 0;
  #micHistory: Int16Array[] = [];
  #lastErleDb: number | null = null;

  constructor(opts: EchoCancelStageOptions) {
    this.#o = opts;
    this.canceller = opts.canceller;
    this.#delayMs = opts.delayMs;
  }

  get converged(): boolean {
    return this.#converged;
  }

  get delayMs(): number {
    return this.#delayMs;
  }

  /** ERLE over the last loud frames (dB), for doctor and the bench. */
  get lastErleDb(): number | null {
    return this.#lastErleDb;
  }

  /** Whether the far end played within the canceller's reach of the frame ending now. */
  farEndActive(frameSamples: number): boolean {
    const refEnd = this.#refEnd();
    return this.#o.timeline.activeBetween(refEnd - (frameSamples / 16) - this.canceller.tailMs, refEnd);
  }

  process(mic: Int16Array): Int16Array {
    this.#trackForEstimate(mic);
    if (!this.farEndActive(mic.length)) return mic;
    const ref = this.#o.timeline.read(this.#refEnd(), mic.length);
    const out = this.canceller.process(mic, ref);
    this.#trackConvergence(ref);
    this.#maybeEstimate();
    return out;
  }

  reset(): void {
    this.canceller.reset();
    this.#converged = false;
    this.#loud = [];
    this.#micHistory = [];
  }

  #refEnd(): number {
    // misalignMs > 0 reads an older reference: the echo then leads it and cannot be cancelled.
    return this.#o.now() - Math.max(0, this.#delayMs - ALIGN_MARGIN_MS) - (this.#o.misalignMs ?? 0);
  }

  #trackConvergence(ref: Int16Array): void {
    if (rms(ref) < LOUD_REFERENCE_RMS) return;
    const e = this.canceller.lastEnergies;
    this.#loud.push({ mic: e.mic, out: e.linear });
    if (this.#loud.length > CONVERGED_FRAMES) this.#loud.shift();
    const micE = this.#loud.reduce((a, f) => a + f.mic, 0);
    const outE = this.#loud.reduce((a, f) => a + f.out, 0);
    const erle = 10 * Math.log10((micE + 1) / (outE + 1));
    this.#lastErleDb = erle;
    if (this.#loud.length === CONVERGED_FRAMES && erle >= CONVERGED_ERLE_DB) this.#converged = true;
  }

  #trackForEstimate(mic: Int16Array): void {
    if (this.#o.estimateDelay === false) return;
    this.#micHistory.push(mic);
    if (this.#micHistory.length > ESTIMATE_WINDOW_FRAMES) this.#micHistory.shift();
    this.#framesSinceEstimate++;
  }

  #maybeEstimate(): void {
    const every = this.#agreeing >= 3 ? ESTIMATE_SETTLED_EVERY_FRAMES : ESTIMATE_EVERY_FRAMES;
    if (this.#o.estimateDelay === false || this.#framesSinceEstimate < every) return;
    if (this.#micHistory.length < ESTIMATE_WINDOW_FRAMES) return;
    this.#framesSinceEstimate = 0;
    const mic = concat(this.#micHistory);
    const maxLag = this.#o.maxDelayMs ?? 400;
    const far = this.#o.timeline.read(this.#o.now(), mic.length + maxLag * 16);
    if (rms(far.subarray(0, mic.length)) < LOUD_REFERENCE_RMS) return;
    const est = estimateDelay(mic, far, maxLag);
    if (!est || est.peak < 0.3) return;
    // Only a move the filter cannot absorb is worth re-learning the path for.
    const offset = est.delayMs - (this.#delayMs - ALIGN_MARGIN_MS);
    if (offset < 0 || offset > this.canceller.tailMs / 2) {
      this.#delayMs = est.delayMs;
      this.#agreeing = 0;
      this.reset();
    } else this.#agreeing++;
  }
}

function rms(x: Int16Array): number {
  return Math.sqrt(sumSquares(x) / Math.max(1, x.length));
}

function sumSquares(x: Int16Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i]! * x[i]!;
  return e;
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
