import type { Emitter } from './base/typed-emitter.ts';
import type { HalError } from './errors.ts';

/**
 * Microphone — 16 kHz, mono, signed 16-bit PCM frames.
 *
 * - `open()` starts capture; `frame` then fires for every captured block of
 *   `frameSamples` samples (default 1280 = 80 ms, openWakeWord's step). It rejects with
 *   `DEVICE_UNAVAILABLE` when the capture device cannot be opened.
 * - While the mic is unpowered (mute relay open) a driver yields silence or nothing;
 *   it never yields stale buffered audio afterwards.
 * - `close()` stops capture at once: no `frame` fires after close() returns. Idempotent.
 * - A capture failure emits `error` (HalError `DEVICE_READ_FAILED`) and then `closed`.
 */
export const MIC_SAMPLE_RATE = 16_000;
export const DEFAULT_FRAME_SAMPLES = 1280;
export const BYTES_PER_SAMPLE = 2;

export interface MicrophoneEvents {
  [event: string]: unknown[];
  frame: [samples: Int16Array];
  error: [error: HalError];
  closed: [];
}

export interface Microphone extends Emitter<MicrophoneEvents> {
  readonly isOpen: boolean;
  readonly frameSamples: number;
  open(): Promise<void>;
  close(): Promise<void>;
}

export function samplesToMs(samples: number): number {
  return (samples * 1000) / MIC_SAMPLE_RATE;
}

export function msToSamples(ms: number): number {
  return Math.round((ms * MIC_SAMPLE_RATE) / 1000);
}
