import type { Clock } from '../base/clock.ts';

/**
 * What a simulated board records: every ring frame, LED change, relay change, tone,
 * mic open/close, with its clock time and a sequence number (ordering within one
 * instant matters for "indicator before first byte"). Per instance, no globals.
 */
export interface SimRecord {
  seq: number;
  t: number;
  device: string;
  kind: string;
  detail?: unknown;
}

export class SimRecorder {
  #records: SimRecord[] = [];
  #seq = 0;
  readonly #limit: number;
  readonly clock: Clock;

  constructor(clock: Clock, opts: { limit?: number } = {}) {
    this.clock = clock;
    this.#limit = opts.limit ?? 20_000;
  }

  /** Records one event and returns its sequence number. */
  record(device: string, kind: string, detail?: unknown): number {
    const seq = ++this.#seq;
    this.#records.push({ seq, t: this.clock.now(), device, kind, detail });
    // Bounded: a long demo must not grow memory without limit; tests use far fewer.
    if (this.#records.length > this.#limit) this.#records.splice(0, this.#records.length - this.#limit);
    return seq;
  }

  /** The next sequence number that will be handed out (for "before/after" checks). */
  get lastSeq(): number {
    return this.#seq;
  }

  records(filter?: { device?: string; kind?: string }): SimRecord[] {
    return this.#records.filter(
      (r) => (!filter?.device || r.device === filter.device) && (!filter?.kind || r.kind === filter.kind),
    );
  }

  clear(): void {
    this.#records = [];
  }
}
