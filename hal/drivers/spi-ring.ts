import type { RingFrame } from '../light-ring.ts';
import type { ColorOrder, RingColorOptions } from './ring-color.ts';
import { RingBase } from './ring-base.ts';
import { encodeApa102, encodeWs281xSpi } from './ring-encoding.ts';
import type { SpiBus } from './spi-bus.ts';

export type SpiRingEncoding = 'ws281x-spi' | 'apa102';

/**
 * A ring on an SPI bus: WS281x (bit-stretched, for the Pi 5) or APA102 (ReSpeaker HATs).
 * `show()` resolves after the SPI transfer completes; for WS281x the transfer already
 * includes the latch (reset) time, and APA102 latches on the end frame.
 */
export class SpiRing extends RingBase {
  readonly #bus: SpiBus;
  readonly #encode: (frame: RingFrame, opts: RingColorOptions) => Buffer;

  constructor(bus: SpiBus, encoding: SpiRingEncoding, opts: { pixelCount: number; order?: ColorOrder; maxBrightness?: number; device?: string }) {
    super(opts.device ?? `${encoding} ring on ${bus.path}`, opts.pixelCount, opts.maxBrightness);
    this.#bus = bus;
    const order = opts.order ?? (encoding === 'apa102' ? 'bgr' : 'grb');
    this.#encode = encoding === 'apa102' ? (f, o) => encodeApa102(f, o, order) : (f, o) => encodeWs281xSpi(f, o, order);
  }

  protected writeFrame(frame: RingFrame, opts: RingColorOptions): Promise<void> {
    return this.#bus.transfer(this.#encode(frame, opts));
  }

  protected release(): Promise<void> {
    return this.#bus.close();
  }
}
