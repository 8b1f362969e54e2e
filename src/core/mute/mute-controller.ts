import type { Led } from '../../../hal/led.ts';
import type { Relay } from '../../../hal/relay.ts';
import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import type { MuteStore } from './mute-store.ts';

export interface MuteControllerEvents {
  [event: string]: unknown[];
  /** The relay's sense line disagrees with what was commanded, or the relay failed. */
  fault: [code: string, message: string];
  'fault-cleared': [];
  problem: [code: string, message: string];
  /** Relay and LED have been written for this state (or failed: then a fault came first). */
  applied: [muted: boolean];
}

/**
 * Drives the mute hardware: the relay in the mic's power line and the red LED, persists
 * the mute state, and watches the relay's sense line. It never decides anything: the
 * attention machine's view says muted or not, and this makes the metal agree.
 */
export class MuteController extends TypedEmitter<MuteControllerEvents> {
  #faulted = false;
  #applying: Promise<void> = Promise.resolve();
  #wanted: boolean | null = null;
  #offSense: (() => void) | undefined;

  constructor(
    private readonly relay: Relay | undefined,
    private readonly led: Led | undefined,
    private readonly store: MuteStore,
  ) {
    super();
    this.#offSense = relay?.on('sense-change', () => void this.verifySense());
  }

  /** Software-only mute: no relay on this board. */
  get softwareOnly(): boolean {
    return this.relay === undefined;
  }

  get hasSense(): boolean {
    return this.relay?.hasSense ?? false;
  }

  get faulted(): boolean {
    return this.#faulted;
  }

  /** True only when the relay has been commanded closed (mic may be powered). */
  get micPowerCommanded(): boolean {
    return this.relay ? this.relay.commanded === 'closed' : true;
  }

  /** Reads the persisted state (fail closed) without touching hardware; says why when it had to fail closed. */
  loadPersisted(): { muted: boolean; problem: { code: string; message: string } | null } {
    const { muted, problem } = this.store.load();
    if (problem) this.emit('problem', problem.code, problem.message);
    return { muted, problem: problem ? { code: problem.code, message: problem.message } : null };
  }

  persist(muted: boolean): void {
    try {
      this.store.save(muted);
    } catch (e) {
      this.emit('problem', 'MUTE_STATE_UNWRITABLE', (e as Error).message);
    }
  }

  /**
   * Makes relay and LED match `muted` (true = relay open, mic unpowered, red LED on: the
   * owner's mute, the schedule, or push-to-talk with the button up). Calls are serialised; the last one wins. Resolves
   * when the hardware has been written (or failed — then a fault is raised: fail closed).
   */
  apply(muted: boolean): Promise<void> {
    this.#wanted = muted;
    this.#applying = this.#applying.then(async () => {
      await this.#write(muted);
      this.emit('applied', muted);
    });
    return this.#applying;
  }

  /** The owner's mute changed: persist it (it survives restart), then move the metal. */
  set(muted: boolean): Promise<void> {
    this.persist(muted);
    return this.apply(muted);
  }

  async #write(muted: boolean): Promise<void> {
    if (this.#wanted !== muted) return; // superseded by a later call
    try {
      await this.relay?.set(muted ? 'open' : 'closed');
    } catch (e) {
      this.#raise('RELAY_WRITE_FAILED', `mute relay could not be set ${muted ? 'open' : 'closed'}: ${(e as Error).message}`);
      return;
    }
    if (this.#faulted && !this.relay?.hasSense) {
      // Without a sense line the only evidence is a successful write.
      this.#faulted = false;
      this.emit('fault-cleared');
    }
    try {
      await this.led?.set(muted);
    } catch (e) {
      this.emit('problem', 'MUTE_LED_FAILED', (e as Error).message);
    }
    await this.verifySense();
  }

  /** Compares the sense line with the commanded position; raises or clears the fault. */
  async verifySense(): Promise<void> {
    if (!this.relay?.hasSense) return;
    let sensed;
    try {
      sensed = await this.relay.readSense();
    } catch (e) {
      this.#raise('RELAY_SENSE_UNREADABLE', (e as Error).message);
      return;
    }
    if (sensed !== this.relay.commanded) {
      this.#raise('RELAY_SENSE_MISMATCH', `relay commanded ${this.relay.commanded} but its sense line reads ${sensed}`);
    } else if (this.#faulted) {
      this.#faulted = false;
      this.emit('fault-cleared');
    }
  }

  dispose(): void {
    this.#offSense?.();
  }

  #raise(code: string, message: string): void {
    this.#faulted = true;
    this.emit('fault', code, message);
  }
}
