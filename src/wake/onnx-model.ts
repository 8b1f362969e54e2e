import { createRequire } from 'node:module';
import { TallyError } from '../../hal/base/errors.ts';
import type { Feed, WakeModel } from './model-types.ts';

export type { Feed } from './model-types.ts';

/**
 * A synchronous ONNX model. onnxruntime-node's public `session.run()` is a Promise, but
 * the native binding runs inference synchronously anyway (the JS wrapper only defers it
 * with setImmediate). The wake pipeline runs inside its own worker thread, so calling the
 * binding directly keeps the per-frame core synchronous and free of event-loop hops.
 */
const require = createRequire(import.meta.url);

interface NativeTensorLike {
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}
interface NativeSession {
  loadModel(path: string, options: object): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, null>, options: object): Record<string, NativeTensorLike>;
  dispose(): void;
  inputMetadata: Array<{ name: string; shape: number[] }>;
  outputMetadata: Array<{ name: string; shape: number[] }>;
}
interface OrtNative {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}
type TensorCtor = new (type: string, data: Float32Array | BigInt64Array, dims: readonly number[]) => unknown;

let native: { ort: OrtNative; Tensor: TensorCtor } | undefined;

function loadNative(): { ort: OrtNative; Tensor: TensorCtor } {
  if (native) return native;
  try {
    const ortMain = require.resolve('onnxruntime-node');
    const ort = require(ortMain.replace(/index\.js$/, 'binding.js')) as OrtNative;
    const { Tensor } = require(require.resolve('onnxruntime-common', { paths: [ortMain] })) as { Tensor: TensorCtor };
    ort.initOrt();
    native = { ort, Tensor };
    return native;
  } catch (cause) {
    throw new TallyError('WAKE_RUNTIME_UNAVAILABLE', 'onnxruntime-node native binding could not be loaded', { cause });
  }
}

/** False where onnxruntime-node has no binary for this CPU (armv7) or it fails to load. */
export function nativeEngineAvailable(): boolean {
  try {
    loadNative();
    return true;
  } catch {
    return false;
  }
}

/** Upstream openWakeWord runs single-threaded; two threads on a 2-core box made it slower. */
export const SESSION_OPTIONS = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

export class OnnxModel implements WakeModel {
  readonly engine = 'native' as const;
  readonly path: string;
  readonly inputNames: string[];
  readonly outputNames: string[];
  /** Static input shapes; dynamic dimensions are -1. */
  readonly inputShapes: number[][];
  readonly outputShapes: number[][];
  #session: NativeSession;
  #fetches: Record<string, null>;
  #Tensor: TensorCtor;

  constructor(path: string) {
    const { ort, Tensor } = loadNative();
    this.path = path;
    this.#Tensor = Tensor;
    this.#session = new ort.binding.InferenceSession();
    try {
      this.#session.loadModel(path, SESSION_OPTIONS);
    } catch (cause) {
      throw new TallyError('WAKE_MODEL_LOAD_FAILED', `could not load ONNX model ${path}`, { cause });
    }
    this.inputNames = this.#session.inputMetadata.map((m) => m.name);
    this.outputNames = this.#session.outputMetadata.map((m) => m.name);
    this.inputShapes = this.#session.inputMetadata.map((m) => [...m.shape]);
    this.outputShapes = this.#session.outputMetadata.map((m) => [...m.shape]);
    this.#fetches = Object.fromEntries(this.outputNames.map((n) => [n, null]));
  }

  /** Runs the model; returned arrays belong to the caller (ORT allocates fresh outputs per run). */
  run(feeds: Record<string, Feed>): Record<string, Float32Array> {
    const tensors: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(feeds)) {
      const type = f.data instanceof BigInt64Array ? 'int64' : 'float32';
      tensors[name] = new this.#Tensor(type, f.data, f.dims);
    }
    const out = this.#session.run(tensors, this.#fetches, {});
    const result: Record<string, Float32Array> = {};
    for (const name of this.outputNames) result[name] = out[name]!.data as Float32Array;
    return result;
  }

  dispose(): void {
    this.#session.dispose();
  }
}
