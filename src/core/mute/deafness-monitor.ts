import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';
import type { AttentionMachine } from '../attention/machine.ts';
import type { AttentionView } from '../attention/types.ts';
import type { DeafnessVerdict } from '../gate/privacy-gate.ts';
import type { TransparencyLedger } from '../ledger/transparency-ledger.ts';
import type { Settings } from '../settings/schema.ts';
import type { MuteController } from './mute-controller.ts';

export const FIRST_PROBE_MS = 1000;
export const PROBE_WINDOW_MS = 200;
export const LIVE_WHILE_MUTED = 'MIC_LIVE_WHILE_MUTED';

export interface DeafnessMonitorDeps {
  clock: Clock;
  machine: AttentionMachine;
  mute: MuteController;
  ledger: TransparencyLedger;
  settings: () => Settings;
  probe: (windowMs: number) => Promise<DeafnessVerdict>;
  onProblem: (code: string, message: string) => void;
}

/**
 * Proof of deafness while muted (build 2). While the relay is open (mute, schedule,
 * push-to-talk with the button up) it re-reads the sense line and probes the capture
 * device every `deafnessCheckMs` (first after FIRST_PROBE_MS). The first success of each
 * muted period is recorded in the ledger ("mute verified"); a live signal is a latched
 * fault — the hardware mute is not what it claims, so the device refuses to stream until
 * restart. Boards without a relay have only a software mute: nothing to prove.
 */
export class DeafnessMonitor {
  readonly #d: DeafnessMonitorDeps;
  #timer: TimerHandle | undefined;
  #verifiedThisPeriod = false;
  #off: (() => void) | undefined;
  #running = false;

  constructor(deps: DeafnessMonitorDeps) {
    this.#d = deps;
  }

  start(): void {
    if (this.#d.mute.softwareOnly) return;
    this.#off = this.#d.machine.on('change', (view) => this.#onView(view));
    this.#onView(this.#d.machine.view);
  }

  stop(): void {
    this.#off?.();
    this.#d.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onView(view: AttentionView): void {
    if (view.micPowered) {
      this.#d.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#verifiedThisPeriod = false;
    } else if (!this.#timer && !this.#running) {
      this.#arm(FIRST_PROBE_MS);
    }
  }

  #arm(ms: number): void {
    this.#timer = this.#d.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#check();
    }, ms);
  }

  async #check(): Promise<void> {
    const { machine, mute, ledger, clock } = this.#d;
    if (machine.view.micPowered) return;
    this.#running = true;
    try {
      await mute.verifySense(); // a mismatch raises the relay fault itself
      const verdict = await this.#d.probe(PROBE_WINDOW_MS);
      if (verdict === 'live') {
        const message = 'the microphone delivered a live signal while its relay was open: the mute is not trustworthy';
        this.#d.onProblem(LIVE_WHILE_MUTED, message);
        machine.send({ type: 'fault', code: LIVE_WHILE_MUTED, message, latched: true });
      } else if (verdict !== 'skipped' && !mute.faulted && !this.#verifiedThisPeriod && !machine.view.micPowered) {
        this.#verifiedThisPeriod = true;
        ledger.note('mute-verified', clock.wallNow(), { method: verdict, senseLine: mute.hasSense });
      }
    } finally {
      this.#running = false;
    }
    if (!machine.view.micPowered && !this.#timer) this.#arm(this.#d.settings().deafnessCheckMs);
  }
}
