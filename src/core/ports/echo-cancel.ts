/**
 * EchoCancel — the device's own playback removed from the mic signal (hal/aec's
 * EchoCancelStage implements it). `process` takes each captured frame and returns the
 * cleaned one (or the same frame while nothing plays). `converged` says the canceller
 * is removing the echo well enough to trust the wake word during playback; until then
 * the self-wake guard deafens the wake word while the speaker plays.
 */
export interface EchoCancel {
  process(mic: Int16Array): Int16Array;
  readonly converged: boolean;
}

/** Why the device runs without a canceller (doctor, problem events). */
export interface EchoCancelUnavailable {
  code: string;
  reason: string;
}
