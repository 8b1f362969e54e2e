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

let nextSeq = 1;

/**
 * Posts one request and blocks until its reply. The flag says "a reply was posted"; the
 * message itself can reach this port a moment later (seen under emulation), so the port
 * is polled until the reply with this request's `seq` is there.
 */
function call(h: Host, req: DistributiveOmit<WasmRequest, 'seq'>, timeoutMs: number): WasmReply & { ok: true } {
  const seq = nextSeq++;
  const deadline = Date.now() + timeoutMs;
  Atomics.store(h.signal, 0, 0);
  h.port.postMessage({ ...req, seq });
  let reply: WasmReply | undefined;
  while (!reply) {
    const left = deadline - Date.now();
    if (left <= 0) throw new TallyError('WAKE_RUNTIME_UNAVAILABLE', `onnxruntime-web did not answer "${req.op}" within ${timeoutMs} ms`);
    if (Atomics.load(h.signal, 0) === 0) Atomics.wait(h.signal, 0, 0, left);
    else Atomics.wait(POLL, 0, 0, 1); // posted, not yet delivered: look again in 1 ms
    for (let m = receiveMessageOnPort(h.port); m; m = receiveMessageOnPort(h.port)) {
      const r = m.message as WasmReply;
      if (r.seq === seq) reply = r; // older seqs: replies to calls that timed out, dropped
    }
  }
  if (!reply.ok) {
    const code = req.op === 'load' ? 'WAKE_MODEL_LOAD_FAILED' : 'WAKE_RUNTIME_UNAVAILABLE';
    throw new TallyError(code, `onnxruntime-web ${req.op} failed: ${reply.message}`);
  }
  return reply;
}

type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;
/** Never notified: Atomics.wait on it is a 1 ms sleep that works in any thread. */
const POLL = new Int32Array(new SharedArrayBuffer(4));

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
