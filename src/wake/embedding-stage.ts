import type { WakeModel } from './model-types.ts';
import { EMBEDDING_DIM, EMBEDDING_STEP, EMBEDDING_WINDOW, FEATURE_BUFFER_ROWS, MEL_BANDS } from './constants.ts';

/** The shared speech-embedding backbone: [B, 76, 32, 1] mel windows → [B, 96]. */
export class EmbeddingStage {
  readonly #model: WakeModel;
  readonly #inputName: string;
  readonly #outputName: string;

  constructor(model: WakeModel) {
    this.#model = model;
    this.#inputName = model.inputNames[0]!;
    this.#outputName = model.outputNames[0]!;
  }

  /** One window of 76 × 32 rows → one 96-value embedding (a fresh array). */
  embed(window: Float32Array): Float32Array {
    return this.embedBatch(window, 1);
  }

  /** `count` windows laid end to end → count × 96 values. */
  embedBatch(windows: Float32Array, count: number): Float32Array {
    const out = this.#model.run({
      [this.#inputName]: { data: windows, dims: [count, EMBEDDING_WINDOW, MEL_BANDS, 1] },
    });
    return out[this.#outputName]!;
  }

  /**
   * Cut transformed mel rows into windows of 76 rows every 8 rows and embed them. One
   * window per run, not one batch: a 41-window batch grows ORT's arena by ~25 MB of RSS
   * that is never returned, for an init-time saving of a few milliseconds.
   */
  embedRows(rows: Float32Array): Float32Array {
    const nRows = rows.length / MEL_BANDS;
    const count = Math.floor((nRows - EMBEDDING_WINDOW) / EMBEDDING_STEP) + 1;
    const out = new Float32Array(count * EMBEDDING_DIM);
    for (let w = 0; w < count; w++) {
      const start = w * EMBEDDING_STEP * MEL_BANDS;
      out.set(this.embed(rows.subarray(start, start + EMBEDDING_WINDOW * MEL_BANDS)), w * EMBEDDING_DIM);
    }
    return out;
  }
}

/**
 * The last 120 embeddings, oldest first. A flat array shifted by one row per frame:
 * 11.5 KB of copying per 80 ms is cheaper than ring-buffer index juggling for every head.
 */
export class FeatureBuffer {
  readonly #rows = new Float32Array(FEATURE_BUFFER_ROWS * EMBEDDING_DIM);
  #initial: Float32Array = new Float32Array(0);

  /** Start from these rows (the warm-up embeddings), newest last; reset() returns here. */
  setInitial(rows: Float32Array): void {
    this.#initial = rows.slice(-FEATURE_BUFFER_ROWS * EMBEDDING_DIM);
    this.reset();
  }

  push(embedding: Float32Array): void {
    this.#rows.copyWithin(0, EMBEDDING_DIM);
    this.#rows.set(embedding.subarray(0, EMBEDDING_DIM), this.#rows.length - EMBEDDING_DIM);
  }

  /** The newest n rows as a [n × 96] view, oldest first. Valid until the next push. */
  latest(n: number): Float32Array {
    return this.#rows.subarray(this.#rows.length - n * EMBEDDING_DIM);
  }

  reset(): void {
    this.#rows.fill(0);
    this.#rows.set(this.#initial, this.#rows.length - this.#initial.length);
  }
}
