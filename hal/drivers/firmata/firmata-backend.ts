import { HalError } from '../../errors.ts';
import type { DigitalInput, DigitalOutput, GpioBackend, LineOptions } from '../gpio/digital-line.ts';

/**
 * The slice of a Firmata IO object (firmata.js / an IO plugin, as exposed by
 * johnny-five's `board.io`) used here; the fake (hal/fakes/fake-firmata.ts) wraps
 * mock-firmata to record writes and feed reads.
 */
export interface FirmataIo {
  MODES: Record<string, number>;
  pinMode(pin: number, mode: number): unknown;
  digitalWrite(pin: number, value: 0 | 1): unknown;
  digitalRead(pin: number, cb: (value: number) => void): unknown;
  reportDigitalPin?(pin: number, value: 0 | 1): unknown;
  on(event: string, fn: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, fn: (...args: unknown[]) => void): unknown;
}

/** Firmata's INPUT_PULLUP pin mode (firmata.js names it MODES.PULLUP). */
export const FIRMATA_INPUT_PULLUP = 0x0b;

/**
 * GPIO on an Arduino running StandardFirmata over USB serial.
 *
 * Firmata has no write acknowledgement: a write resolves once the message is queued to
 * the serial port. That is why the mic-kill relay on this board should have its sense
 * line wired: the sense read-back is the confirmation the protocol cannot give.
 * A serial disconnect reports an error on every watched input (the button goes quiet,
 * the relay reports a sense fault).
 */
export class FirmataBackend implements GpioBackend {
  readonly name: string;
  readonly #io: FirmataIo;
  #lost: Error | undefined;
  readonly #onLost = new Set<(e: Error) => void>();

  constructor(io: FirmataIo, port: string) {
    this.#io = io;
    this.name = `firmata ${port}`;
    const lost = (why: string) => () => {
      this.#lost ??= new Error(`firmata connection on ${port}: ${why}`);
      for (const fn of this.#onLost) fn(this.#lost);
    };
    io.on('close', lost('closed'));
    io.on('disconnect', lost('disconnected'));
    io.on('error', lost('error'));
  }

  #check(pin: number): void {
    if (this.#lost) throw new HalError('DEVICE_UNAVAILABLE', `pin ${pin}`, this.#lost.message);
  }

  async openOutput(pin: number, opts: LineOptions & { initial: boolean }): Promise<DigitalOutput> {
    this.#check(pin);
    const level = (active: boolean): 0 | 1 => (active !== (opts.activeLow ?? false) ? 1 : 0);
    this.#io.pinMode(pin, this.#io.MODES.OUTPUT!);
    this.#io.digitalWrite(pin, level(opts.initial));
    return {
      write: async (active) => {
        this.#check(pin);
        this.#io.digitalWrite(pin, level(active));
      },
      close: async () => {},
    };
  }

  async openInput(pin: number, opts: LineOptions): Promise<DigitalInput> {
    this.#check(pin);
    const activeLow = opts.activeLow ?? false;
    // StandardFirmata (protocol 2.5+) has INPUT_PULLUP; there is no pull-down.
    this.#io.pinMode(pin, opts.pull === 'up' ? (this.#io.MODES.PULLUP ?? FIRMATA_INPUT_PULLUP) : this.#io.MODES.INPUT!);
    let value: boolean | undefined;
    let listener: ((active: boolean) => void) | undefined;
    let closed = false;
    this.#io.digitalRead(pin, (raw) => {
      if (closed) return;
      const active = (raw === 1) !== activeLow;
      if (active === value) return;
      value = active;
      listener?.(active);
    });
    let onLost: ((e: Error) => void) | undefined;
    return {
      read: async () => {
        this.#check(pin);
        return value ?? false;
      },
      watch: (onChange, onError) => {
        listener = onChange;
        onLost = (e) => !closed && onError(e);
        this.#onLost.add(onLost);
      },
      close: async () => {
        closed = true;
        if (onLost) this.#onLost.delete(onLost);
        this.#io.reportDigitalPin?.(pin, 0);
      },
    };
  }
}
