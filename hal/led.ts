import type { Emitter } from './base/typed-emitter.ts';
import type { HalError } from './errors.ts';

/**
 * Led — a single indicator LED (the red mute LED).
 *
 * - `set(on)` resolves once the line is written; rejects with `DEVICE_WRITE_FAILED`.
 * - `isOn` is the last state successfully written.
 * - `close()` turns the LED off and releases the line; idempotent. Calls after close
 *   reject with `DEVICE_CLOSED`.
 */
export interface LedEvents {
  [event: string]: unknown[];
  error: [error: HalError];
}

export interface Led extends Emitter<LedEvents> {
  readonly isOn: boolean;
  set(on: boolean): Promise<void>;
  close(): Promise<void>;
}
