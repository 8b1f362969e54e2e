/**
 * Time is injected everywhere the core waits: the state machine, the gate's budgets and
 * the simulated devices all take a Clock, so tests advance time instead of sleeping.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Wall-clock epoch milliseconds for records the owner reads (ledger, history). */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

export class SystemClock implements Clock {
  #next = 1;
  #timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return performance.now();
  }

  wallNow(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    const t = setTimeout(() => {
      this.#timers.delete(id);
      fn();
    }, Math.max(0, ms));
    this.#timers.set(id, t);
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.#timers.get(handle.id);
    if (t) clearTimeout(t);
    this.#timers.delete(handle.id);
  }
}

/** A clock that only moves when told to. Timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  #now: number;
  #wallOffset: number;
  #next = 1;
  #timers = new Map<number, { due: number; fn: () => void; seq: number }>();
  #seq = 0;

  constructor(start = 0, wallStart = Date.UTC(2026, 0, 1)) {
    this.#now = start;
    this.#wallOffset = wallStart - start;
  }

  now(): number {
    return this.#now;
  }

  wallNow(): number {
    return this.#now + this.#wallOffset;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    this.#timers.set(id, { due: this.#now + Math.max(0, ms), fn, seq: this.#seq++ });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.#timers.delete(handle.id);
  }

  /** Number of timers waiting: lets tests assert nothing is left running. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let next: { due: number; seq: number } | undefined;
      for (const [id, t] of this.#timers) {
        if (t.due <= target && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) {
          next = t;
          nextId = id;
        }
      }
      if (nextId === undefined || !next) break;
      const timer = this.#timers.get(nextId)!;
      this.#timers.delete(nextId);
      this.#now = Math.max(this.#now, timer.due);
      timer.fn();
    }
    this.#now = target;
  }
}
