import { readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { HalError } from '../../errors.ts';
import type { Clock } from '../../base/clock.ts';
import type { DigitalInput, DigitalOutput, GpioBackend, LineOptions } from './digital-line.ts';
import { pickHeaderChip, type ChipInfo } from './gpio-chips.ts';
import {
  GPIOD_LINE_BIAS_PULL_DOWN,
  GPIOD_LINE_BIAS_PULL_UP,
  GPIOD_LINE_DIRECTION_INPUT,
  GPIOD_LINE_DIRECTION_OUTPUT,
  GPIOD_LINE_VALUE_ACTIVE,
  GPIOD_LINE_VALUE_INACTIVE,
  type Chip,
  type Libgpiod2,
  type LineRequest,
} from './libgpiod2-ffi.ts';
import { sampledInput } from './sampled-input.ts';

const CONSUMER = 'tally';

export interface Libgpiod2BackendOptions {
  /** Where the gpiochip device nodes are (tests). */
  devDir?: string;
  /** The gpiochip names there; default: the `gpiochipN` entries of devDir, in number order. */
  listDevices?: () => string[];
}

/**
 * GPIO through the character device with libgpiod's v2 API (libgpiod.so.3, Debian 13
 * Trixie), called through koffi: the same contract as the v1 back end (node-libgpiod),
 * which cannot build against libgpiod 2. Each line is one request held in-process for the
 * life of the device (the relay keeps its level only while it is held) and released on
 * close. Active-low is the kernel's (gpiod_line_settings_set_active_low): values read and
 * written here are logical. Inputs are sampled every 5 ms on the injected clock, as in v1.
 *
 * The chip is opened only to list it or to make a request, and closed straight after: a
 * v2 line request holds its own file descriptor.
 */
export class Libgpiod2Backend implements GpioBackend {
  readonly name = 'libgpiod v2';
  readonly #lib: Libgpiod2;
  readonly #clock: Clock;
  readonly #devDir: string;
  readonly #listDevices: () => string[];

  constructor(lib: Libgpiod2, clock: Clock, opts: Libgpiod2BackendOptions = {}) {
    this.#lib = lib;
    this.#clock = clock;
    this.#devDir = opts.devDir ?? '/dev';
    this.#listDevices = opts.listDevices ?? (() => gpiochipNodes(this.#devDir));
  }

  /** Chip names and labels, for detection and for `tally doctor`. */
  listChips(): ChipInfo[] {
    return this.#listDevices().map((name) =>
      this.#withChip(name, (chip) => {
        const info = this.#lib.chipGetInfo(chip);
        if (!info) throw new HalError('DEVICE_UNAVAILABLE', name, `cannot read the chip info of /dev/${name} (${this.#errno()})`);
        try {
          return { name: this.#lib.chipInfoGetName(info), label: this.#lib.chipInfoGetLabel(info) };
        } finally {
          this.#lib.chipInfoFree(info);
        }
      }),
    );
  }

  async openOutput(pin: number, opts: LineOptions & { initial: boolean }): Promise<DigitalOutput> {
    const lib = this.#lib;
    const request = this.#request(pin, opts, opts.initial);
    let released = false;
    return {
      write: async (active) => {
        // A released request is freed memory: never pass it to C again.
        if (released) throw new HalError('DEVICE_CLOSED', `GPIO${pin}`, 'line is released');
        if (lib.lineRequestSetValue(request, pin, active ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE) < 0) {
          throw new Error(`gpiod_line_request_set_value(GPIO${pin}) failed: ${this.#errno()}`);
        }
      },
      close: async () => {
        if (released) return;
        released = true;
        lib.lineRequestRelease(request);
      },
    };
  }

  async openInput(pin: number, opts: LineOptions): Promise<DigitalInput> {
    const lib = this.#lib;
    const request = this.#request(pin, opts, undefined);
    let released = false;
    const read = () => {
      if (released) throw new HalError('DEVICE_CLOSED', `GPIO${pin}`, 'line is released');
      const v = lib.lineRequestGetValue(request, pin);
      if (v !== GPIOD_LINE_VALUE_ACTIVE && v !== GPIOD_LINE_VALUE_INACTIVE) throw new Error(`gpiod_line_request_get_value(GPIO${pin}) failed: ${this.#errno()}`);
      return v === GPIOD_LINE_VALUE_ACTIVE;
    };
    return sampledInput(
      read,
      () => {
        released = true;
        lib.lineRequestRelease(request);
      },
      this.#clock,
    );
  }

  /** Requests one line: an output driven to `initial` from the start, or (undefined) an input. */
  #request(pin: number, opts: LineOptions, initial: boolean | undefined): LineRequest {
    const chipName = pickHeaderChip(this.listChips(), opts.chip);
    const lib = this.#lib;
    const fail = (what: string) =>
      new HalError('DEVICE_UNAVAILABLE', `GPIO${pin}`, `cannot request line ${pin} on ${chipName}: ${what} (in use by another program, or permission denied)`);
    const check = (rc: number, call: string) => {
      if (rc < 0) throw fail(`${call} failed (${this.#errno()})`);
    };
    return this.#withChip(chipName, (chip) => {
      const settings = lib.lineSettingsNew();
      const lineConfig = lib.lineConfigNew();
      const requestConfig = lib.requestConfigNew();
      try {
        if (!settings || !lineConfig || !requestConfig) throw fail('libgpiod could not allocate the request (out of memory)');
        lib.lineSettingsSetActiveLow(settings, opts.activeLow ?? false);
        if (initial !== undefined) {
          check(lib.lineSettingsSetDirection(settings, GPIOD_LINE_DIRECTION_OUTPUT), 'gpiod_line_settings_set_direction');
          check(lib.lineSettingsSetOutputValue(settings, initial ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE), 'gpiod_line_settings_set_output_value');
        } else {
          check(lib.lineSettingsSetDirection(settings, GPIOD_LINE_DIRECTION_INPUT), 'gpiod_line_settings_set_direction');
          // No pull asked: the bias stays as it is (GPIOD_LINE_BIAS_AS_IS), as in v1.
          if (opts.pull) check(lib.lineSettingsSetBias(settings, opts.pull === 'up' ? GPIOD_LINE_BIAS_PULL_UP : GPIOD_LINE_BIAS_PULL_DOWN), 'gpiod_line_settings_set_bias');
        }
        check(lib.lineConfigAddLineSettings(lineConfig, Uint32Array.of(pin), 1, settings), 'gpiod_line_config_add_line_settings');
        lib.requestConfigSetConsumer(requestConfig, CONSUMER);
        const request = lib.chipRequestLines(chip, requestConfig, lineConfig);
        if (!request) throw fail(`gpiod_chip_request_lines failed (${this.#errno()})`);
        return request;
      } finally {
        if (requestConfig) lib.requestConfigFree(requestConfig);
        if (lineConfig) lib.lineConfigFree(lineConfig);
        if (settings) lib.lineSettingsFree(settings);
      }
    });
  }

  #withChip<T>(name: string, use: (chip: Chip) => T): T {
    const path = `${this.#devDir}/${name}`;
    const chip = this.#lib.chipOpen(path);
    if (!chip) throw new HalError('DEVICE_UNAVAILABLE', name, `cannot open ${path} (${this.#errno()}; add the user to the gpio group)`);
    try {
      return use(chip);
    } finally {
      this.#lib.chipClose(chip);
    }
  }

  #errno(): string {
    const n = this.#lib.errno();
    const name = Object.entries(constants.errno).find(([, v]) => v === n)?.[0];
    return name ? `${name}` : `errno ${n}`;
  }
}

/** The gpiochipN device nodes in `dir`, in number order (none when it cannot be read). */
export function gpiochipNodes(dir = '/dev'): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^gpiochip\d+$/.test(e))
    .sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
}
