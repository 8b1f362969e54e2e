import { HalError } from '../errors.ts';
import { assertFrame, OFF, type LightRing, type LightRingEvents, type RingFrame } from '../light-ring.ts';
import { TypedEmitter } from '../base/typed-emitter.ts';
import type { RingColorOptions } from './ring-color.ts';

/**
 * What every real ring driver shares: frame validation, call-order serialisation,
 * brightness (capped), blank-on-close and DEVICE_CLOSED after close. A subclass only
 * writes bytes: `writeFrame` must resolve once the frame is latched on the LEDs.
 */
export abstract class RingBase extends TypedEmitter<LightRingEvents> implements LightRing {
  readonly pixelCount: number;
  protected readonly device: string;
  readonly #maxBrightness: number;
  #brightness: number;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(device: string, pixelCount: number, maxBrightness = 1, brightness = maxBrightness) {
    super();
    this.device = device;
    this.pixelCount = pixelCount;
    this.#maxBrightness = maxBrightness;
    this.#brightness = Math.min(brightness, maxBrightness);
  }

  get brightness(): number {
    return this.#brightness;
  }

  protected abstract writeFrame(frame: RingFrame, opts: RingColorOptions): Promise<void>;
  protected abstract release(): Promise<void>;

  show(frame: RingFrame): Promise<void> {
    if (this.#closed) return Promise.reject(new HalError('DEVICE_CLOSED', this.device, 'ring is closed'));
    try {
      assertFrame(frame, this.pixelCount, this.device, (m) => new HalError('INVALID_ARGUMENT', this.device, m));
    } catch (e) {
      return Promise.reject(e);
    }
    const copy = frame.map((px) => [px[0], px[1], px[2]] as const);
    return this.#enqueue(() => this.#write(copy));
  }

  async setBrightness(brightness: number): Promise<void> {
    if (this.#closed) throw new HalError('DEVICE_CLOSED', this.device, 'ring is closed');
    if (!Number.isFinite(brightness) || brightness < 0 || brightness > 1) {
      throw new HalError('INVALID_ARGUMENT', this.device, `brightness ${brightness} is not within 0..1`);
    }
    this.#brightness = Math.min(brightness, this.#maxBrightness);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const blank = Array.from({ length: this.pixelCount }, () => OFF);
    await this.#enqueue(() => this.#write(blank)).catch(() => undefined);
    await this.release();
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(frame: RingFrame): Promise<void> {
    try {
      await this.writeFrame(frame, { brightness: this.#brightness, maxBrightness: this.#maxBrightness });
    } catch (cause) {
      const err = cause instanceof HalError ? cause : new HalError('DEVICE_WRITE_FAILED', this.device, 'ring frame write failed', { cause });
      this.emit('error', err);
      throw err;
    }
  }
}
