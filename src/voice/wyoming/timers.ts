import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';

export interface SatelliteTimer {
  id: string;
  name: string | null;
  totalSeconds: number;
  active: boolean;
  /** Clock ms when it rings (when active). */
  endsAt: number;
  /** Seconds left when paused. */
  remainingSeconds: number;
}

/**
 * HA's timers, kept as a local countdown per id (wyoming.md §8). `timer-finished` rings;
 * so does the local countdown if HA's `timer-finished` never comes (HA down at that
 * moment): a timer must ring even when the network does not.
 */
export class SatelliteTimers {
  #clock: Clock;
  #timers = new Map<string, { t: SatelliteTimer; handle: TimerHandle | undefined }>();
  #onRing: (t: SatelliteTimer) => void;
  #onChange: () => void;
  /** Grace after the local countdown before ringing without HA. */
  static readonly GRACE_MS = 1500;
  static readonly MAX_TIMERS = 64;

  constructor(clock: Clock, onRing: (t: SatelliteTimer) => void, onChange: () => void) {
    this.#clock = clock;
    this.#onRing = onRing;
    this.#onChange = onChange;
  }

  list(): SatelliteTimer[] {
    return [...this.#timers.values()].map((e) => ({ ...e.t }));
  }

  started(id: string, totalSeconds: number, name: string | null): void {
    if (!this.#timers.has(id) && this.#timers.size >= SatelliteTimers.MAX_TIMERS) return;
    this.#remove(id);
    const t: SatelliteTimer = { id, name, totalSeconds, active: true, endsAt: this.#clock.now() + totalSeconds * 1000, remainingSeconds: totalSeconds };
    this.#timers.set(id, { t, handle: this.#arm(t) });
    this.#onChange();
  }

  updated(id: string, active: boolean, remainingSeconds: number): void {
    const e = this.#timers.get(id);
    if (!e) return;
    this.#clock.clearTimeout(e.handle);
    e.t.active = active;
    e.t.remainingSeconds = remainingSeconds;
    e.t.endsAt = this.#clock.now() + remainingSeconds * 1000;
    e.handle = active ? this.#arm(e.t) : undefined;
    this.#onChange();
  }

  cancelled(id: string): void {
    if (this.#remove(id)) this.#onChange();
  }

  /** HA says it finished: ring (once) and forget it. */
  finished(id: string): SatelliteTimer | null {
    const e = this.#timers.get(id);
    this.#remove(id);
    const t = e?.t ?? null;
    if (t) this.#onChange();
    return t;
  }

  clear(): void {
    for (const id of [...this.#timers.keys()]) this.#remove(id);
  }

  #arm(t: SatelliteTimer): TimerHandle {
    return this.#clock.setTimeout(() => {
      if (this.#timers.get(t.id)?.t !== t) return;
      this.#remove(t.id);
      this.#onChange();
      this.#onRing(t);
    }, t.remainingSeconds * 1000 + SatelliteTimers.GRACE_MS);
  }

  #remove(id: string): boolean {
    const e = this.#timers.get(id);
    if (!e) return false;
    this.#clock.clearTimeout(e.handle);
    this.#timers.delete(id);
    return true;
  }
}
