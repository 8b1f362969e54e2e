import type { FarEndChunk } from '../tone-player.ts';

const SAMPLES_PER_MS = 16;

/**
 * The far-end reference on the clock's time line: what the speaker plays (or will play:
 * a player may hand over a whole reply at once), so that any past moment can be read
 * back sample-exact for the canceller. Memory stays bounded: chunks that ended more than
 * `keepMs` before the newest read are dropped.
 */
export class FarEndTimeline {
  readonly #keep: number;
  #chunks: { start: number; samples: Int16Array }[] = [];

  constructor(opts: { keepMs?: number } = {}) {
    this.#keep = (opts.keepMs ?? 3000) * SAMPLES_PER_MS;
  }

  write(chunk: FarEndChunk): void {
    const start = Math.round(chunk.atMs * SAMPLES_PER_MS);
    // A new sound replaces whatever was still scheduled from its start on.
    this.#truncate(start);
    if (chunk.samples.length) this.#chunks.push({ start, samples: chunk.samples });
  }

  /** Nothing plays from `atMs` on (the player stopped). */
  cut(atMs: number): void {
    this.#truncate(Math.round(atMs * SAMPLES_PER_MS));
  }

  /** The `n` samples that end at `endMs` (zeros where nothing played). */
  read(endMs: number, n: number): Int16Array {
    const end = Math.round(endMs * SAMPLES_PER_MS);
    const begin = end - n;
    const out = new Int16Array(n);
    for (const c of this.#chunks) {
      const from = Math.max(begin, c.start);
      const to = Math.min(end, c.start + c.samples.length);
      if (to > from) out.set(c.samples.subarray(from - c.start, to - c.start), from - begin);
    }
    this.#chunks = this.#chunks.filter((c) => c.start + c.samples.length > begin - this.#keep);
    return out;
  }

  /** Whether anything plays in [fromMs, toMs). */
  activeBetween(fromMs: number, toMs: number): boolean {
    const a = Math.round(fromMs * SAMPLES_PER_MS);
    const b = Math.round(toMs * SAMPLES_PER_MS);
    return this.#chunks.some((c) => c.start < b && c.start + c.samples.length > a);
  }

  clear(): void {
    this.#chunks = [];
  }

  #truncate(at: number): void {
    const kept: { start: number; samples: Int16Array }[] = [];
    for (const c of this.#chunks) {
      if (c.start >= at) continue;
      kept.push(c.start + c.samples.length > at ? { start: c.start, samples: c.samples.subarray(0, at - c.start) } : c);
    }
    this.#chunks = kept;
  }
}
