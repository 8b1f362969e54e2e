import { createWakeModel, resolveWakeEngine } from './wake-model.ts';
import type { WakeEngine, WakeModel } from './model-types.ts';
import { MelStage } from './mel-stage.ts';
import { EmbeddingStage, FeatureBuffer } from './embedding-stage.ts';
import { ClassifierStage } from './classifier-stage.ts';
import { SileroVad } from './silero-vad.ts';
import { FrameChunker } from './frame-chunker.ts';
import { warmupNoise } from './warmup.ts';
import { backbonePaths, type WakeModelRef } from './models.ts';
import { SUPPRESSED_START_FRAMES } from './constants.ts';

/** What one 80 ms frame produced. Array fields are views valid until the next frame. */
export interface FrameResult {
  /** Frame index since start/reset. */
  frame: number;
  /** One raw score per label (see WakePipeline.labels); 0 for the first 5 frames. */
  scores: Float32Array;
  /** Silero speech probability of this frame, when the pipeline runs VAD. */
  vad?: number;
  melRows: Float32Array;
  embedding: Float32Array;
}

export interface WakePipelineOptions {
  heads: WakeModelRef[];
  /** Also run Silero VAD on each frame (costs one more model pass per frame). */
  vad?: boolean;
  /** Directory holding melspectrogram.onnx, embedding_model.onnx, silero_vad.onnx. */
  modelDir?: string;
  /** Which inference engine runs the models (default: native where it loads, else wasm). */
  engine?: WakeEngine;
}

/**
 * openWakeWord's streaming pipeline, synchronous: PCM → log-mel → embedding → every
 * head's score, one frame per 1280 samples. No threads, no I/O after construction;
 * the detector worker wraps it.
 */
export class WakePipeline {
  readonly labels: string[];
  readonly mel: MelStage;
  readonly embedding: EmbeddingStage;
  readonly features = new FeatureBuffer();
  readonly heads: ClassifierStage[];
  readonly vad: SileroVad | undefined;
  readonly engine: WakeEngine;
  readonly #models: WakeModel[] = [];
  readonly #chunker = new FrameChunker();
  readonly #scores: Float32Array;
  #frame = 0;

  constructor(opts: WakePipelineOptions) {
    this.engine = opts.engine ?? resolveWakeEngine();
    const paths = backbonePaths(opts.modelDir);
    this.mel = new MelStage(this.#load(paths.mel));
    this.embedding = new EmbeddingStage(this.#load(paths.embedding));
    this.heads = opts.heads.map((h) => new ClassifierStage(h.name, this.#load(h.path)));
    this.vad = opts.vad ? new SileroVad(this.#load(paths.vad)) : undefined;
    this.labels = this.heads.flatMap((h) => h.labels);
    this.#scores = new Float32Array(this.labels.length);
    this.features.setInitial(this.#warmupEmbeddings());
  }

  #load(path: string): WakeModel {
    const m = createWakeModel(path, this.engine);
    this.#models.push(m);
    return m;
  }

  /** 41 embeddings of the seeded 4 s noise, made in one mel call (see warmup.ts). */
  #warmupEmbeddings(): Float32Array {
    return this.embedding.embedRows(this.mel.computeFeatures(warmupNoise()));
  }

  /** Samples of any length; one result per completed frame. */
  push(samples: Int16Array, onFrame: (r: FrameResult) => void): void {
    this.#chunker.push(samples, (chunk) => onFrame(this.processChunk(chunk)));
  }

  /** Exactly one 1280-sample chunk. */
  processChunk(chunk: Int16Array): FrameResult {
    const frame = this.#frame++;
    const melRows = this.mel.processChunk(chunk);
    const embedding = this.embedding.embed(this.mel.window);
    this.features.push(embedding);
    let k = 0;
    for (const head of this.heads) {
      const s = head.score(this.features);
      for (let c = 0; c < head.classes; c++) this.#scores[k++] = frame < SUPPRESSED_START_FRAMES ? 0 : s[c]!;
    }
    const result: FrameResult = { frame, scores: this.#scores, melRows, embedding };
    if (this.vad) result.vad = this.vad.processChunk(chunk);
    return result;
  }

  /** Back to the start-up state: no audio history, warm-up features, VAD state cleared. */
  reset(): void {
    this.#frame = 0;
    this.#chunker.reset();
    this.mel.reset();
    this.features.reset();
    this.vad?.reset();
  }

  dispose(): void {
    for (const m of this.#models) m.dispose();
  }
}
