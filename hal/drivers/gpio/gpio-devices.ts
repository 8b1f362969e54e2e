import type { ButtonOptions } from '../../button.ts';
import { HalError } from '../../errors.ts';
import type { Led, LedEvents } from '../../led.ts';
import type { Relay, RelayEvents, RelayPosition } from '../../relay.ts';
import { TypedEmitter } from '../../base/typed-emitter.ts';
import type { Clock } from '../../base/clock.ts';
import { DebouncedButton } from './debounced-button.ts';
import type { DigitalInput, DigitalOutput, GpioBackend, LineOptions } from './digital-line.ts';

/**
 * Relay, LED and button on any GpioBackend (onoff, libgpiod, Firmata): the contract
 * behaviour lives here once; back ends only move bits.
 */

/** Writes through, tracks the last good value, maps failures and use-after-close. */
class OutputLine {
  #closed = false;
  constructor(
    private readonly out: DigitalOutput,
    private readonly device: string,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  async write(active: boolean): Promise<void> {
    if (this.#closed) throw new HalError('DEVICE_CLOSED', this.device, 'line is closed');
    try {
      await this.out.write(active);
    } catch (cause) {
      throw new HalError('DEVICE_WRITE_FAILED', this.device, `could not drive the line ${active ? 'active' : 'inactive'}`, { cause });
    }
  }

  /** Drives the safe level (best effort) and releases the line. */
  async closeWith(active: boolean): Promise<boolean> {
    if (this.#closed) return false;
    let ok = true;
    await this.out.write(active).catch(() => (ok = false));
    this.#closed = true;
    await this.out.close().catch(() => undefined);
    return ok;
  }
}

export class GpioLed extends TypedEmitter<LedEvents> implements Led {
  readonly #line: OutputLine;
  #on = false;

  private constructor(line: OutputLine) {
    super();
    this.#line = line;
  }

  static async open(backend: GpioBackend, pin: number, opts: LineOptions = {}): Promise<GpioLed> {
    const device = `LED on GPIO${pin} (${backend.name})`;
    return new GpioLed(new OutputLine(await backend.openOutput(pin, { ...opts, initial: false }), device));
  }

  get isOn(): boolean {
    return this.#on;
  }

  async set(on: boolean): Promise<void> {
    await this.#line.write(on);
    this.#on = on;
  }

  async close(): Promise<void> {
    if (await this.#line.closeWith(false)) this.#on = false;
  }
}

export class GpioRelay extends TypedEmitter<RelayEvents> implements Relay {
  readonly #line: OutputLine;
  readonly #sense: DigitalInput | undefined;
  readonly #device: string;
  #commanded: RelayPosition = 'open';

  private constructor(line: OutputLine, sense: DigitalInput | undefined, device: string) {
    super();
    this.#line = line;
    this.#sense = sense;
    this.#device = device;
    sense?.watch(
      (active) => this.emit('sense-change', active ? 'closed' : 'open'),
      (cause) => this.emit('error', new HalError('DEVICE_READ_FAILED', device, 'relay sense line could not be read', { cause })),
    );
  }

  /** The relay output starts OPEN (mic unpowered) before anything else can happen. */
  static async open(backend: GpioBackend, pin: number, opts: LineOptions & { sensePin?: number } = {}): Promise<GpioRelay> {
    const device = `relay on GPIO${pin} (${backend.name})`;
    const out = await backend.openOutput(pin, { ...opts, initial: false });
    let sense: DigitalInput | undefined;
    if (opts.sensePin !== undefined) {
      try {
        // Pulled down (as the wiring doc's resistor does): a loose sense wire reads "open".
        sense = await backend.openInput(opts.sensePin, { chip: opts.chip, pull: 'down' });
      } catch (e) {
        await out.close().catch(() => undefined);
        throw e;
      }
    }
    return new GpioRelay(new OutputLine(out, device), sense, device);
  }

  get hasSense(): boolean {
    return this.#sense !== undefined;
  }

  get commanded(): RelayPosition {
    return this.#commanded;
  }

  async set(position: RelayPosition): Promise<void> {
    await this.#line.write(position === 'closed');
    this.#commanded = position;
  }

  async readSense(): Promise<RelayPosition | undefined> {
    if (this.#line.closed) throw new HalError('DEVICE_CLOSED', this.#device, 'relay is closed');
    if (!this.#sense) return undefined;
    try {
      return (await this.#sense.read()) ? 'closed' : 'open';
    } catch (cause) {
      throw new HalError('DEVICE_READ_FAILED', this.#device, 'relay sense line could not be read', { cause });
    }
  }

  async close(): Promise<void> {
    if (this.#line.closed) return;
    await this.#line.closeWith(false);
    this.#commanded = 'open';
    await this.#sense?.close().catch(() => undefined);
    this.removeAllListeners();
  }
}

export async function openGpioButton(backend: GpioBackend, pin: number, clock: Clock, opts: LineOptions & ButtonOptions = {}): Promise<DebouncedButton> {
  // Buttons on the Pi header are wired to ground with a pull-up: active low unless told.
  const activeLow = opts.activeLow ?? true;
  const input = await backend.openInput(pin, { chip: opts.chip, activeLow, pull: activeLow ? 'up' : 'down' });
  const button = new DebouncedButton(`button on GPIO${pin} (${backend.name})`, clock, opts, () => input.close());
  input.watch(
    (pressed) => button.input(pressed),
    (e) => button.fail(e),
  );
  return button;
}
