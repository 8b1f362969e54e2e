import { HalError } from '../../errors.ts';
import type { Clock } from '../../base/clock.ts';
import type { DigitalInput, DigitalOutput, GpioBackend, LineOptions } from './digital-line.ts';
import { pickHeaderChip, type ChipInfo } from './gpio-chips.ts';
import { sampledInput } from './sampled-input.ts';

/** The slice of `node-libgpiod` used here; the fake implements the same. */
export interface LibgpiodLine {
  requestOutputMode(consumer?: string, defaultValue?: number): unknown;
  requestInputMode(consumer?: string): unknown;
  requestInputModeFlags(consumer: string, flags: number): unknown;
  getValue(): number;
  setValue(value: number): unknown;
  release(): unknown;
}
export interface LibgpiodChip {
  readonly name: string;
  readonly label: string;
}
export interface LibgpiodModule {
  getChipNames(): string[];
  Chip: new (identifier: string | number) => LibgpiodChip;
  Line: new (chip: LibgpiodChip, offset: number) => LibgpiodLine;
}

/** libgpiod line request flags (GPIOD_LINE_REQUEST_FLAG_BIAS_*), as node-libgpiod numbers them. */
export const BIAS_PULL_DOWN = 1 << 4;
export const BIAS_PULL_UP = 1 << 5;

export { LIBGPIOD_POLL_MS } from './sampled-input.ts';
const CONSUMER = 'tally';

/**
 * GPIO through the character device (/dev/gpiochipN) with `node-libgpiod`, for current
 * Raspberry Pi OS and the Pi 5, where sysfs (onoff) no longer works.
 *
 * Why node-libgpiod and not the gpioset/gpiomon tools: a libgpiod line keeps its value
 * only while the requesting process holds it. `gpioset` (v1) releases the line when it
 * exits, so the mic-kill relay would fall back to an undefined state, or need a
 * long-running gpioset per line that we must supervise. node-libgpiod holds the request
 * for the life of the device, in-process, and releases it on close. Its 0.5 API exposes
 * no edge-event reads, so inputs are sampled every 5 ms on the injected clock; the
 * debounce in GpioButton then works on those samples.
 *
 * node-libgpiod calls libgpiod's v1 API (libgpiod.so.2: Debian 12 Bookworm); on Debian 13
 * Trixie (libgpiod.so.3) the v2 back end (libgpiod2-backend.ts) serves the same driver.
 */
export class LibgpiodBackend implements GpioBackend {
  readonly name: string;
  readonly #lib: LibgpiodModule;
  readonly #clock: Clock;
  readonly #chips = new Map<string, LibgpiodChip>();

  constructor(lib: LibgpiodModule, clock: Clock) {
    this.#lib = lib;
    this.#clock = clock;
    this.name = 'libgpiod';
  }

  /** Chip names and labels, for detection and for `tally doctor`. */
  listChips(): ChipInfo[] {
    return this.#lib.getChipNames().map((name) => ({ name, label: this.#chip(name).label }));
  }

  #chip(name: string): LibgpiodChip {
    let chip = this.#chips.get(name);
    if (!chip) {
      try {
        chip = new this.#lib.Chip(name);
      } catch (cause) {
        throw new HalError('DEVICE_UNAVAILABLE', name, `cannot open /dev/${name} (add the user to the gpio group)`, { cause });
      }
      this.#chips.set(name, chip);
    }
    return chip;
  }

  #line(pin: number, opts: LineOptions, request: (line: LibgpiodLine) => void): { line: LibgpiodLine; chip: string } {
    const chip = pickHeaderChip(this.listChips(), opts.chip);
    try {
      const line = new this.#lib.Line(this.#chip(chip), pin);
      request(line);
      return { line, chip };
    } catch (cause) {
      throw new HalError('DEVICE_UNAVAILABLE', `GPIO${pin}`, `cannot request line ${pin} on ${chip} (in use by another program, or permission denied)`, { cause });
    }
  }

  async openOutput(pin: number, opts: LineOptions & { initial: boolean }): Promise<DigitalOutput> {
    const level = (active: boolean) => (active !== (opts.activeLow ?? false) ? 1 : 0);
    const { line } = this.#line(pin, opts, (l) => l.requestOutputMode(CONSUMER, level(opts.initial)));
    return {
      write: async (active) => {
        line.setValue(level(active));
      },
      close: async () => {
        line.release();
      },
    };
  }

  async openInput(pin: number, opts: LineOptions): Promise<DigitalInput> {
    const { line } = this.#line(pin, opts, (l) =>
      opts.pull ? l.requestInputModeFlags(CONSUMER, opts.pull === 'up' ? BIAS_PULL_UP : BIAS_PULL_DOWN) : l.requestInputMode(CONSUMER),
    );
    const read = () => (line.getValue() === 1) !== (opts.activeLow ?? false);
    return sampledInput(read, () => line.release(), this.#clock);
  }
}
