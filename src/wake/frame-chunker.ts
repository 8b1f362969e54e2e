import { CHUNK_SAMPLES } from './constants.ts';

/**
 * Cuts pushes of any length into whole 1280-sample chunks, carrying the remainder over
 * to the next push (only whole chunks are ever processed).
 */
export class FrameChunker {
  readonly #pending = new Int16Array(CHUNK_SAMPLES);
  #fill = 0;

  /** Calls `onChunk` for every completed chunk; the chunk view is only valid during the call. */
  push(samples: Int16Array, onChunk: (chunk: Int16Array) => void): void {
    let offset = 0;
    if (this.#fill > 0) {
      const take = Math.min(CHUNK_SAMPLES - this.#fill, samples.length);
      this.#pending.set(samples.subarray(0, take), this.#fill);
      this.#fill += take;
      offset = take;
      if (this.#fill < CHUNK_SAMPLES) return;
      this.#fill = 0;
      onChunk(this.#pending);
    }
    while (samples.length - offset >= CHUNK_SAMPLES) {
      onChunk(samples.subarray(offset, offset + CHUNK_SAMPLES));
      offset += CHUNK_SAMPLES;
    }
    const rest = samples.length - offset;
    if (rest > 0) {
      this.#pending.set(samples.subarray(offset), 0);
      this.#fill = rest;
    }
  }

  reset(): void {
    this.#fill = 0;
  }
}
