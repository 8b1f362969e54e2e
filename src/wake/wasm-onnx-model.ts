import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { TallyError } from '../../hal/base/errors.ts';
import { startTsWorker } from '../../hal/base/start-ts-worker.ts';
import type { Feed, WakeModel } from './model-types.ts';
import type { WasmReply, WasmRequest } from './wasm-protocol.ts';

/**
 * The fallback wake engine: the same ONNX models on onnxruntime-web's WebAssembly backend,
 * for CPUs onnxruntime-node ships no binary for (32-bit Raspberry Pi OS, armv7). Same
 * synchronous interface as the native OnnxModel: each call posts to one inference thread
 * per calling thread and blocks on an Atomics flag until the answer is there.
 */
const LOAD_TIMEOUT_MS = 300_000; // a model load under emulation / on a Pi 2 takes seconds
const RUN_TIMEOUT_MS = 60_000;

interface Host {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  sessions: number;
}

let host: Host | undefined;
let nextId = 1;

function startHost(): Host {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = startTsWorker(new URL('./ort-wasm-host.worker.ts', import.meta.url), { workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  return { worker, port: port1, signal, sessions: 0 };
}

function call(h: Host, req: WasmRequest, timeoutMs: number): WasmReply & { ok: true } {
  Atomics.store(h.signal, 0, 0);
  h.port.postMessage(req);
  if (Atomics.wait(h.signal, 0, 0, timeoutMs) === 'timed-out') {
    throw new TallyError('WAKE_RUNTIME_UNAVAILABLE', `onnxruntime-web did not answer "${req.op}" within ${timeoutMs} ms`);
  }
  const reply = receiveMessageOnPort(h.port)?.message as WasmReply | undefined;
  if (!reply) throw new TallyError('WAKE_RUNTIME_UNAVAILABLE', `onnxruntime-web sent no reply to "${req.op}"`);
  if (!reply.ok) {
    const code = req.op === 'load' ? 'WAKE_MODEL_LOAD_FAILED' : 'WAKE_RUNTIME_UNAVAILABLE';
    throw new TallyError(code, `onnxruntime-web ${req.op} failed: ${reply.message}`);
  }
  return reply;
}

export class WasmOnnxModel implements WakeModel {
  readonly engine = 'wasm' as const;
  readonly path: string;
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly inputShapes: number[][];
  readonly outputShapes: number[][];
  readonly #id = nextId++;
  #host: Host | undefined;

  constructor(path: string) {
    this.path = path;
    host ??= startHost();
    const r = call(host, { op: 'load', id: this.#id, path }, LOAD_TIMEOUT_MS);
    this.#host = host;
    host.sessions++;
    this.inputNames = r.inputNames!;
    this.outputNames = r.outputNames!;
    this.inputShapes = r.inputShapes!;
    this.outputShapes = r.outputShapes!;
  }

  run(feeds: Record<string, Feed>): Record<string, Float32Array> {
    if (!this.#host) throw new TallyError('WAKE_RUNTIME_UNAVAILABLE', 'model was disposed');
    return call(this.#host, { op: 'run', id: this.#id, feeds }, RUN_TIMEOUT_MS).outputs!;
  }

  dispose(): void {
    const h = this.#host;
    if (!h) return;
    this.#host = undefined;
    call(h, { op: 'dispose', id: this.#id }, RUN_TIMEOUT_MS);
    // The last session gone: stop the thread, so a closed detector leaves nothing running.
    if (--h.sessions === 0 && host === h) {
      host = undefined;
      h.port.close();
      void h.worker.terminate();
    }
  }
}
