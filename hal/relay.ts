import type { Emitter } from './base/typed-emitter.ts';
import type { HalError } from './errors.ts';

/**
 * Relay — the mic-kill relay in the microphone's power line.
 *
 * Wiring contract (docs/mic-kill-wiring.md): the relay is normally open, so `closed`
 * means the contact is made and the microphone is powered; an unpowered or crashed
 * device leaves the mic dead. The red mute LED sits on the other contact, so the light
 * follows the metal, not the software.
 *
 * - `set(position)` resolves once the output line has been written; it rejects with
 *   `HalError` `DEVICE_WRITE_FAILED` when it could not be, and the caller must then
 *   assume the worst (fail closed: treat the mic as possibly powered and refuse to stream).
 * - `readSense()` reads the optional sense line wired to the relay's actual contact.
 *   It resolves `undefined` when the board has no sense line (`hasSense` false).
 *   A disagreement between `commanded` and the sense line is a fault the core acts on.
 * - `sense-change` fires when the sense line changes (drivers that can watch it).
 * - `close()` leaves the relay OPEN (mic unpowered) before releasing the line, and is
 *   idempotent. Any call after close rejects with `DEVICE_CLOSED`.
 */
export type RelayPosition = 'open' | 'closed';

export interface RelayEvents {
  [event: string]: unknown[];
  'sense-change': [position: RelayPosition];
  error: [error: HalError];
}

export interface Relay extends Emitter<RelayEvents> {
  readonly hasSense: boolean;
  /** The last position successfully commanded. Starts `open`. */
  readonly commanded: RelayPosition;
  set(position: RelayPosition): Promise<void>;
  readSense(): Promise<RelayPosition | undefined>;
  close(): Promise<void>;
}
