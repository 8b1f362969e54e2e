import type { Emitter } from '../../../hal/base/typed-emitter.ts';

/**
 * WakeDetector — local wake-word detection. Frames go in (the gate feeds it only while
 * the mic is live and not muted); detections come out. Nothing here sends audio anywhere.
 *
 * `push` must return quickly (real detectors run inference in a worker thread).
 * `setSuppressed(true)` is the self-wake guard: detections are dropped while the device's
 * own sound plays. `reset()` drops internal audio state (on mute, after a detection).
 */
export interface WakeDetection {
  wakeWord: string;
  score: number;
  /** Optional: audio time (ms since start or the last reset) at the end of the frame that fired. */
  audioMs?: number;
}

export interface WakeDetectorEvents {
  [event: string]: unknown[];
  detection: [detection: WakeDetection];
  error: [code: string, message: string];
}

export interface WakeDetector extends Emitter<WakeDetectorEvents> {
  push(samples: Int16Array): void;
  setSuppressed(suppressed: boolean): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * EndpointDetector — voice activity during a stream: speech start, end of speech.
 * Fed only the frames of an open stream.
 */
export interface EndpointEvents {
  [event: string]: unknown[];
  'speech-start': [];
  'end-of-speech': [];
}

export interface EndpointDetector extends Emitter<EndpointEvents> {
  push(samples: Int16Array): void;
  reset(): void;
  close(): Promise<void>;
}
