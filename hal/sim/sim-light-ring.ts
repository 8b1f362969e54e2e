import { HalError } from '../errors.ts';
import { assertFrame, OFF, type LightRing, type LightRingEvents, type RingFrame } from '../light-ring.ts';
import { TypedEmitter } from '../base/typed-emitter.ts';
import type { Clock } from '../base/clock.ts';
import { SimFault } from './sim-fault.ts';
import type { SimRecorder } from './sim-recorder.ts';

/**
 * Simulated light ring. `show` resolves when the frame is "latched": after
 * `latchDelayMs` of clock time (default 0: on the next microtask). Records every frame.
 */
export class SimLightRing extends TypedEmitter<LightRingEvents> implements LightRing {
  readonly name: string;
  readonly pixelCount: number;
  readonly fault = new SimFault();
  latchDelayMs: number;
  #brightness = 1;
  #current: RingFrame;
  #closed = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #rec: SimRecorder;
  readonly #clock: Clock;

  constructor(rec: SimRecorder, opts: { pixelCount: number; name?: string; latchDelayMs?: number }) {
    super();
    this.#rec = rec;
    this.#clock = rec.clock;
    this.name = opts.name ?? 'ring';
    this.pixelCount = opts.pixelCount;
    this.latchDelayMs = opts.latchDelayMs ?? 0;
    this.#current = Array.from({ length: this.pixelCount }, () => OFF);
  }

  get brightness(): number {
    return this.#brightness;
  }

  /** The frame currently latched on the LEDs. */
  get current(): RingFrame {
    return this.#current;
  }

  show(frame: RingFrame): Promise<void> {
    const run = async () => {
      if (this.#closed) throw new HalError('DEVICE_CLOSED', this.name, 'ring is closed');
      assertFrame(frame, this.pixelCount, this.name, (m) => new HalError('INVALID_ARGUMENT', this.name, m));
      this.fault.check(this.name, 'show frame');
      if (this.latchDelayMs > 0) {
        await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, this.latchDelayMs));
        if (this.#closed) throw new HalError('DEVICE_CLOSED', this.name, 'ring closed before the frame latched');
      }
      this.#current = frame.map((px) => [px[0], px[1], px[2]] as const);
      this.#rec.record(this.name, 'frame', this.#current);
    };
    // Frames latch in call order, even when one fails.
    const result = this.#queue.then(run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async setBrightness(brightness: number): Promise<void> {
    if (!(brightness >= 0 && brightness <= 1)) {
      throw new HalError('INVALID_ARGUMENT', this.name, `brightness ${brightness} is outside 0..1`);
    }
    this.#brightness = brightness;
    this.#rec.record(this.name, 'brightness', brightness);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Frames still waiting to latch are abandoned (they reject DEVICE_CLOSED), not awaited:
    // a simulated clock that no longer moves must not hang shutdown.
    this.#current = Array.from({ length: this.pixelCount }, () => OFF);
    this.#rec.record(this.name, 'frame', this.#current);
    this.#closed = true;
  }
}
