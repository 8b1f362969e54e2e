import type { WakeModel } from './model-types.ts';
import { CHUNK_SAMPLES, EMBEDDING_WINDOW, MEL_BANDS, MEL_CONTEXT_SAMPLES, melTransform } from './constants.ts';

/**
 * The log-mel front end, streaming. Each chunk is sent to melspectrogram.onnx together
 * with the 480 samples before it (1760 → 8 rows); the very first chunk has no history
 * (1280 → 5 rows). The top-80-dB clamp inside the model is per call, so these call
 * boundaries are part of the spec, not an implementation detail.
 */
export class MelStage {
  readonly #model: WakeModel;
  readonly #inputName: string;
  readonly #outputName: string;
  readonly #call = new Float32Array(MEL_CONTEXT_SAMPLES + CHUNK_SAMPLES);
  #first = true;
  /** Newest 76 rows, oldest first, kept as a flat [76 × 32] array (a shift window). */
  readonly #window = new Float32Array(EMBEDDING_WINDOW * MEL_BANDS);

  constructor(model: WakeModel) {
    this.#model = model;
    this.#inputName = model.inputNames[0]!;
    this.#outputName = model.outputNames[0]!;
    this.reset();
  }

  /** Bare mel call: int16-valued float samples → dB rows (before the transform), frames × 32. */
  computeDb(samples: Float32Array): Float32Array {
    const out = this.#model.run({ [this.#inputName]: { data: samples, dims: [1, samples.length] } });
    return out[this.#outputName]!;
  }

  /** Transformed rows (dB/10+2) for a whole signal in one call: used for the warm-up fill. */
  computeFeatures(samples: Float32Array): Float32Array {
    const db = this.computeDb(samples);
    for (let i = 0; i < db.length; i++) db[i] = melTransform(db[i]!);
    return db;
  }

  /**
   * One 1280-sample chunk in; its new transformed rows out (5 for the first call, else 8).
   * The rows are also shifted into the 76-row embedding window.
   */
  processChunk(chunk: Int16Array): Float32Array {
    let input: Float32Array;
    if (this.#first) {
      input = this.#call.subarray(MEL_CONTEXT_SAMPLES);
      for (let i = 0; i < CHUNK_SAMPLES; i++) input[i] = chunk[i]!;
      this.#first = false;
    } else {
      // Keep the last 480 samples of the previous call as context, append the new chunk.
      this.#call.copyWithin(0, CHUNK_SAMPLES);
      for (let i = 0; i < CHUNK_SAMPLES; i++) this.#call[MEL_CONTEXT_SAMPLES + i] = chunk[i]!;
      input = this.#call;
    }
    const rows = this.computeFeatures(input);
    const n = rows.length;
    this.#window.copyWithin(0, n);
    this.#window.set(rows, this.#window.length - n);
    return rows;
  }

  /** The newest 76 rows, [76 × 32], oldest first. Valid until the next processChunk. */
  get window(): Float32Array {
    return this.#window;
  }

  reset(): void {
    this.#first = true;
    this.#call.fill(0);
    // Upstream starts the mel buffer with 76 rows of 1.0.
    this.#window.fill(1);
  }
}
