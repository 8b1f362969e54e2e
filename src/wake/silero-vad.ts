import type { WakeModel } from './model-types.ts';
import { CHUNK_SAMPLES } from './constants.ts';

/**
 * Silero VAD v4 (the file openWakeWord bundles): each 1280-sample frame is run as two
 * 640-sample halves, samples/32767, LSTM state carried across calls; the frame's value
 * is the mean of the two probabilities (as openWakeWord's VAD gate does).
 */
const HALF = CHUNK_SAMPLES / 2;
const STATE_SIZE = 2 * 1 * 64;

export class SileroVad {
  readonly #model: WakeModel;
  readonly #sr = new BigInt64Array([16000n]);
  readonly #input = new Float32Array(HALF);
  #h: Float32Array = new Float32Array(STATE_SIZE);
  #c: Float32Array = new Float32Array(STATE_SIZE);

  constructor(model: WakeModel) {
    this.#model = model;
  }

  /** Speech probability of one 1280-sample frame. */
  processChunk(chunk: Int16Array): number {
    return (this.#half(chunk, 0) + this.#half(chunk, HALF)) / 2;
  }

  #half(chunk: Int16Array, offset: number): number {
    for (let i = 0; i < HALF; i++) this.#input[i] = chunk[offset + i]! / 32767;
    const out = this.#model.run({
      input: { data: this.#input, dims: [1, HALF] },
      sr: { data: this.#sr, dims: [] },
      h: { data: this.#h, dims: [2, 1, 64] },
      c: { data: this.#c, dims: [2, 1, 64] },
    });
    this.#h = out['hn']!;
    this.#c = out['cn']!;
    return out['output']![0]!;
  }

  reset(): void {
    this.#h = new Float32Array(STATE_SIZE);
    this.#c = new Float32Array(STATE_SIZE);
  }
}
