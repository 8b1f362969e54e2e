import type { Emitter } from './base/typed-emitter.ts';
import type { HalError } from './errors.ts';

/**
 * LightRing — a ring (or strip) of RGB pixels: the listening indicator.
 *
 * - `pixelCount` is fixed for the device's life.
 * - `show(frame)` writes one full frame (exactly `pixelCount` colours, each channel an
 *   integer 0..255, before gamma and brightness, which are the driver's job) and resolves
 *   only once the frame has been latched onto the LEDs. That resolution IS the
 *   indicator acknowledgement the privacy gate waits for, so a driver must never resolve
 *   early. It rejects with `INVALID_ARGUMENT` for a wrong-length frame and
 *   `DEVICE_WRITE_FAILED` when the bus write fails (the gate then refuses to stream).
 *   Concurrent calls are applied in call order.
 * - `setBrightness(b)` sets the global brightness 0..1 (the driver may cap it); it
 *   applies to the next frame shown.
 * - `close()` blanks the ring and releases the bus; idempotent. Calls after close reject
 *   with `DEVICE_CLOSED`.
 */
export type Rgb = readonly [r: number, g: number, b: number];
export type RingFrame = readonly Rgb[];

export interface LightRingEvents {
  [event: string]: unknown[];
  error: [error: HalError];
}

export interface LightRing extends Emitter<LightRingEvents> {
  readonly pixelCount: number;
  readonly brightness: number;
  show(frame: RingFrame): Promise<void>;
  setBrightness(brightness: number): Promise<void>;
  close(): Promise<void>;
}

export const OFF: Rgb = [0, 0, 0];

/** Throws INVALID_ARGUMENT unless the frame has exactly `pixelCount` valid colours. */
export function assertFrame(frame: RingFrame, pixelCount: number, device: string, makeError: (msg: string) => Error): void {
  if (frame.length !== pixelCount) throw makeError(`${device}: frame has ${frame.length} pixels, ring has ${pixelCount}`);
  for (const px of frame) {
    if (px.length !== 3 || px.some((c) => !Number.isInteger(c) || c < 0 || c > 255)) {
      throw makeError(`${device}: pixel ${JSON.stringify(px)} is not an [r,g,b] of integers 0..255`);
    }
  }
}
