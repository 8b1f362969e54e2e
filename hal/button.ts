import type { Emitter } from './base/typed-emitter.ts';
import type { HalError } from './errors.ts';

/**
 * Button — a push button (action button, mute button), debounced by the driver.
 *
 * - `press` fires once per debounced press, `release` once per release.
 * - `long-press` fires once when a press has been held for `longPressMs`; the following
 *   `release` still fires. Consumers that act on long presses ignore that release.
 * - Bounces shorter than the debounce window (default 50 ms) produce no events.
 * - `close()` releases the line and stops all events; idempotent.
 * - A read failure emits `error` (HalError `DEVICE_READ_FAILED`); the button then reports
 *   no further presses until reopened.
 */
export interface ButtonEvents {
  [event: string]: unknown[];
  press: [];
  release: [];
  'long-press': [];
  error: [error: HalError];
}

export interface ButtonOptions {
  debounceMs?: number;
  longPressMs?: number;
}

export const DEFAULT_DEBOUNCE_MS = 50;
export const DEFAULT_LONG_PRESS_MS = 1000;

export interface Button extends Emitter<ButtonEvents> {
  readonly isPressed: boolean;
  close(): Promise<void>;
}
