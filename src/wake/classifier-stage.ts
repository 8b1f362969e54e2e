import type { WakeModel } from './model-types.ts';
import { EMBEDDING_DIM, FEATURE_BUFFER_ROWS } from './constants.ts';
import type { FeatureBuffer } from './embedding-stage.ts';
import { TallyError } from '../../hal/base/errors.ts';

/**
 * One classifier head: the newest N embeddings → C sigmoid scores. Input/output names,
 * N (16 for the stock heads, 22/34 for others) and C are read from the model, never
 * assumed, so user-trained heads work unchanged.
 */
export class ClassifierStage {
  readonly name: string;
  readonly windowRows: number;
  readonly classes: number;
  readonly #model: WakeModel;
  readonly #inputName: string;
  readonly #outputName: string;

  constructor(name: string, model: WakeModel) {
    this.name = name;
    this.#model = model;
    this.#inputName = model.inputNames[0]!;
    this.#outputName = model.outputNames[0]!;
    const inShape = model.inputShapes[0] ?? [];
    const outShape = model.outputShapes[0] ?? [];
    const n = inShape[1];
    if (inShape.length !== 3 || inShape[2] !== EMBEDDING_DIM || !n || n < 1 || n > FEATURE_BUFFER_ROWS) {
      throw new TallyError(
        'WAKE_MODEL_INVALID',
        `${model.path} is not an openWakeWord classifier head (input must be [1, N, 96] with N ≤ ${FEATURE_BUFFER_ROWS}, got [${inShape.join(', ')}])`,
      );
    }
    this.windowRows = n;
    this.classes = outShape.length === 2 && outShape[1]! > 0 ? outShape[1]! : 1;
  }

  /** Labels detections carry: the name, or name#i for each class of a multi-class head. */
  get labels(): string[] {
    return this.classes === 1 ? [this.name] : Array.from({ length: this.classes }, (_, i) => `${this.name}#${i}`);
  }

  score(features: FeatureBuffer): Float32Array {
    const out = this.#model.run({ [this.#inputName]: { data: features.latest(this.windowRows), dims: [1, this.windowRows, EMBEDDING_DIM] } });
    return out[this.#outputName]!;
  }
}
