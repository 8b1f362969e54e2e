import type { MuteHistory } from '../ports.ts';

/**
 * When the microphone was off, as the screen's activity picture shades it. Kept in RAM
 * for this boot only: a record of when the owner muted is itself a profile of their
 * habits, so it is never written to disk. `observe` is fed every view the device shows.
 */
export class MuteLog implements MuteHistory {
  readonly knownSince: number;
  readonly #closed: { from: number; to: number }[] = [];
  #openSince: number | null = null;
  readonly #cap: number;

  constructor(private readonly now: () => number, opts: { cap?: number } = {}) {
    this.knownSince = now();
    this.#cap = opts.cap ?? 500;
  }

  observe(muted: boolean): void {
    if (muted && this.#openSince === null) this.#openSince = this.now();
    else if (!muted && this.#openSince !== null) {
      this.#closed.push({ from: this.#openSince, to: this.now() });
      this.#openSince = null;
      // Bounded: the oldest periods go first (the picture covers a week).
      if (this.#closed.length > this.#cap) this.#closed.splice(0, this.#closed.length - this.#cap);
    }
  }

  intervals(from: number, to: number): { from: number; to: number }[] {
    const all = this.#openSince === null ? this.#closed : [...this.#closed, { from: this.#openSince, to: this.now() }];
    return all.filter((m) => m.to > from && m.from < to);
  }
}
