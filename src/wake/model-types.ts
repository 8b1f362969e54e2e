/** One input tensor of a model run. */
export type Feed = { data: Float32Array | BigInt64Array; dims: readonly number[] };

/** The wake engines: onnxruntime-node's native binding, or onnxruntime-web's WebAssembly. */
export const WAKE_ENGINES = ['native', 'wasm'] as const;
export type WakeEngine = (typeof WAKE_ENGINES)[number];

/** A synchronous ONNX model, whichever engine runs it (the pipeline stages use only this). */
export interface WakeModel {
  readonly engine: WakeEngine;
  readonly path: string;
  readonly inputNames: string[];
  readonly outputNames: string[];
  /** Static input shapes; dynamic dimensions are -1. */
  readonly inputShapes: number[][];
  readonly outputShapes: number[][];
  /** Runs the model; returned arrays belong to the caller. */
  run(feeds: Record<string, Feed>): Record<string, Float32Array>;
  dispose(): void;
}
