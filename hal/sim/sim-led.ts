import { HalError } from '../errors.ts';
import type { Led, LedEvents } from '../led.ts';
import { TypedEmitter } from '../base/typed-emitter.ts';
import { SimFault } from './sim-fault.ts';
import type { SimRecorder } from './sim-recorder.ts';

export class SimLed extends TypedEmitter<LedEvents> implements Led {
  readonly name: string;
  readonly fault = new SimFault();
  #on = false;
  #closed = false;
  readonly #rec: SimRecorder;

  constructor(rec: SimRecorder, opts: { name?: string } = {}) {
    super();
    this.#rec = rec;
    this.name = opts.name ?? 'mute-led';
  }

  get isOn(): boolean {
    return this.#on;
  }

  async set(on: boolean): Promise<void> {
    if (this.#closed) throw new HalError('DEVICE_CLOSED', this.name, 'led is closed');
    this.fault.check(this.name, `set ${on}`);
    this.#on = on;
    this.#rec.record(this.name, 'set', on);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#on = false;
    this.#rec.record(this.name, 'set', false);
    this.#closed = true;
  }
}
