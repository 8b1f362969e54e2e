/**
 * EchoCanceller — removes the device's own playback (the far end) from what the mic hears.
 *
 * - `process(mic, farEnd)` takes one mic frame and the far-end reference for the same
 *   moment (both 16 kHz mono int16, same length, a multiple of `blockSamples`) and returns
 *   the cleaned frame (a new array). The reference must already be aligned so that the
 *   echo in `mic` lags it by 0 … `tailMs`: an echo that comes *before* its reference
 *   cannot be cancelled (see far-end-aligner.ts).
 * - `reset()` forgets the learned echo path (after the path changed: volume, device).
 * - `close()` frees native state; idempotent. `process` after close throws DEVICE_CLOSED.
 *
 * Whether the canceller has converged is measured outside it (echo-cancel-stage.ts), the
 * same way for every implementation: from the energy it removes.
 */
export interface EchoCanceller {
  /** For figures and `tally doctor`: e.g. `speexdsp 1.2 (tail 200 ms)`. */
  readonly name: string;
  /** The canceller's internal block; frames must be a multiple of it. */
  readonly blockSamples: number;
  readonly tailMs: number;
  process(mic: Int16Array, farEnd: Int16Array): Int16Array;
  /**
   * Energies of the last `process` call: the mic, and what the *linear* filter left
   * (before any residual suppression). Convergence is judged on these: a suppressor
   * also removes energy when the filter has learned nothing (a misaligned reference).
   */
  readonly lastEnergies: { mic: number; linear: number };
  reset(): void;
  close(): void;
}

/** Why there is no canceller: the device then falls back to the self-wake guard. */
export type EchoCancellerUnavailableCode =
  | 'AEC_DISABLED' // the board or the settings turned it off
  | 'AEC_FFI_MISSING' // the optional `koffi` package is not installed
  | 'AEC_LIBRARY_MISSING' // libspeexdsp.so.1 is not on the system (apt-get install libspeexdsp1)
  | 'AEC_INIT_FAILED'; // the library loaded but refused to create a canceller

export type EchoCancellerLoad =
  | { ok: true; canceller: EchoCanceller }
  | { ok: false; code: EchoCancellerUnavailableCode; reason: string };

export interface EchoCancellerOptions {
  /** Longest echo the adaptive filter models, after alignment (default 128 ms: faster to converge than 200, measured). */
  tailMs?: number;
  /** Residual echo suppression after the linear filter (Speex preprocessor). Default on. */
  residualSuppression?: boolean;
  /** Residual echo attenuation (dB, negative) without / with a near-end talker. */
  echoSuppressDb?: number;
  echoSuppressActiveDb?: number;
}
