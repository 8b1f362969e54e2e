import { HalError } from '../errors.ts';
import type { RingFrame } from '../light-ring.ts';
import type { ColorOrder, RingColorOptions } from './ring-color.ts';
import { RingBase } from './ring-base.ts';
import { encodeWs281xWords } from './ring-encoding.ts';

/** The slice of `rpi-ws281x-native` (v1) used here; the fake implements the same. */
export interface Ws281xChannel {
  array: Uint32Array;
  brightness: number;
}
export interface Ws281xModule {
  (numLeds: number, options: { gpio?: number; stripType?: string; brightness?: number }): Ws281xChannel;
  render(): void;
  reset(): void;
  finalize(): void;
}

const STRIP_TYPES: Record<ColorOrder, string> = { grb: 'ws2812', rgb: 'ws2811-rgb', bgr: 'ws2811-bgr' };

/**
 * WS281x through rpi_ws281x's PWM/PCM DMA (Pi 1–4; GPIO18 = PWM0). `render()` only starts
 * the DMA, so show() waits the frame's wire time (30 µs per LED) plus the 300 µs latch
 * before resolving: the ring is lit when the indicator ack is given, not a frame later.
 */
export class Ws281xRing extends RingBase {
  readonly #lib: Ws281xModule;
  readonly #channel: Ws281xChannel;
  readonly #latchMs: number;

  constructor(lib: Ws281xModule, opts: { pixelCount: number; pin?: number; order?: ColorOrder; maxBrightness?: number }) {
    const pin = opts.pin ?? 18;
    super(`ws281x ring on GPIO${pin}`, opts.pixelCount, opts.maxBrightness);
    this.#lib = lib;
    try {
      this.#channel = lib(opts.pixelCount, { gpio: pin, stripType: STRIP_TYPES[opts.order ?? 'grb'], brightness: 255 });
    } catch (cause) {
      throw new HalError('DEVICE_UNAVAILABLE', this.device, 'rpi_ws281x could not start (needs root or /dev/mem access, and audio on PWM disabled: dtparam=audio=off)', { cause });
    }
    this.#latchMs = (opts.pixelCount * 30 + 300) / 1000;
  }

  protected async writeFrame(frame: RingFrame, opts: RingColorOptions): Promise<void> {
    encodeWs281xWords(frame, opts, this.#channel.array);
    this.#lib.render();
    await new Promise((r) => setTimeout(r, Math.ceil(this.#latchMs)));
  }

  protected async release(): Promise<void> {
    this.#lib.reset();
    this.#lib.finalize();
  }
}
