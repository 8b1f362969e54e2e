import { HalError } from '../errors.ts';
import type { Relay, RelayEvents, RelayPosition } from '../relay.ts';
import { TypedEmitter } from '../base/typed-emitter.ts';
import { SimFault } from './sim-fault.ts';
import type { SimRecorder } from './sim-recorder.ts';

/**
 * Simulated mic-kill relay. `contact` is where the metal really is: it follows the
 * commanded position unless a test makes the relay stick, or makes the sense line lie.
 */
export class SimRelay extends TypedEmitter<RelayEvents> implements Relay {
  readonly name: string;
  readonly hasSense: boolean;
  readonly fault = new SimFault();
  #commanded: RelayPosition = 'open';
  #stuck: RelayPosition | null = null;
  #senseLie: RelayPosition | null = null;
  #closed = false;
  readonly #rec: SimRecorder;

  constructor(rec: SimRecorder, opts: { name?: string; hasSense?: boolean } = {}) {
    super();
    this.#rec = rec;
    this.name = opts.name ?? 'relay';
    this.hasSense = opts.hasSense ?? true;
  }

  get commanded(): RelayPosition {
    return this.#commanded;
  }

  /** Where the contact really is (what powers the simulated mic). */
  get contact(): RelayPosition {
    return this.#stuck ?? this.#commanded;
  }

  async set(position: RelayPosition): Promise<void> {
    this.#assertOpen();
    this.fault.check(this.name, `set ${position}`);
    const before = this.senseValue();
    this.#commanded = position;
    this.#rec.record(this.name, 'set', position);
    this.#emitSenseIfChanged(before);
  }

  async readSense(): Promise<RelayPosition | undefined> {
    this.#assertOpen();
    if (!this.hasSense) return undefined;
    return this.senseValue();
  }

  senseValue(): RelayPosition {
    return this.#senseLie ?? this.contact;
  }

  /** Test script: the contact welds/sticks in `position` (null releases it). */
  stick(position: RelayPosition | null): void {
    const before = this.senseValue();
    this.#stuck = position;
    this.#rec.record(this.name, 'stick', position);
    this.#emitSenseIfChanged(before);
  }

  /** Test script: the sense line reports `position` whatever the contact does (null: honest). */
  lieSense(position: RelayPosition | null): void {
    const before = this.senseValue();
    this.#senseLie = position;
    this.#rec.record(this.name, 'sense-lie', position);
    this.#emitSenseIfChanged(before);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#commanded = 'open';
    this.#rec.record(this.name, 'set', 'open');
    this.#closed = true;
  }

  #emitSenseIfChanged(before: RelayPosition): void {
    const after = this.senseValue();
    if (this.hasSense && after !== before) this.emit('sense-change', after);
  }

  #assertOpen(): void {
    if (this.#closed) throw new HalError('DEVICE_CLOSED', this.name, 'relay is closed');
  }
}
