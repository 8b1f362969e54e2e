import { HalError } from '../../errors.ts';
import type { DigitalInput, DigitalOutput, GpioBackend, LineOptions } from './digital-line.ts';

/** The slice of `onoff`'s Gpio class used here; the fake implements the same. */
export interface OnoffGpio {
  read(): Promise<0 | 1>;
  write(value: 0 | 1): Promise<void>;
  watch(cb: (err: Error | null | undefined, value: 0 | 1) => void): void;
  unwatchAll(): void;
  unexport(): void;
}
export interface OnoffModule {
  Gpio: new (gpio: number, direction: 'in' | 'out' | 'high' | 'low', edge?: 'none' | 'both', options?: { activeLow?: boolean }) => OnoffGpio;
}

/**
 * GPIO through the sysfs interface (`onoff`): Pi 1–4 on older Raspberry Pi OS. Kernels
 * from 6.6 number the header lines from a base (often 512), so the BCM pin is offset by
 * the base of the SoC's gpiochip in /sys/class/gpio (see gpio-chips.ts).
 */
export class OnoffBackend implements GpioBackend {
  readonly name = 'onoff (sysfs)';
  readonly #lib: OnoffModule;
  readonly #base: number;

  constructor(lib: OnoffModule, sysfsBase = 0) {
    this.#lib = lib;
    this.#base = sysfsBase;
  }

  #open(pin: number, direction: 'in' | 'high' | 'low', opts: LineOptions): OnoffGpio {
    try {
      return new this.#lib.Gpio(pin + this.#base, direction, direction === 'in' ? 'both' : 'none', { activeLow: opts.activeLow ?? false });
    } catch (cause) {
      throw new HalError('DEVICE_UNAVAILABLE', `GPIO${pin}`, `cannot export GPIO${pin} through sysfs (is the user in the gpio group? on current Raspberry Pi OS use the libgpiod driver)`, { cause });
    }
  }

  async openOutput(pin: number, opts: LineOptions & { initial: boolean }): Promise<DigitalOutput> {
    const gpio = this.#open(pin, opts.initial ? 'high' : 'low', opts);
    return {
      write: (active) => gpio.write(active ? 1 : 0),
      close: async () => gpio.unexport(),
    };
  }

  async openInput(pin: number, opts: LineOptions): Promise<DigitalInput> {
    const gpio = this.#open(pin, 'in', opts);
    return {
      read: async () => (await gpio.read()) === 1,
      watch: (onChange, onError) =>
        gpio.watch((err, value) => {
          if (err) onError(err);
          else onChange(value === 1);
        }),
      close: async () => {
        gpio.unwatchAll();
        gpio.unexport();
      },
    };
  }
}
