import { readFileSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import * as ort from 'onnxruntime-web';
import type { WasmReply, WasmRequest } from './wasm-protocol.ts';

/**
 * The WebAssembly inference thread behind WasmOnnxModel: onnxruntime-web's wasm backend,
 * single-threaded like the native engine. Its API is Promise-based; the caller blocks on
 * `signal` until a reply is posted, which keeps the wake pipeline's per-frame core
 * synchronous on both engines. Only tensors pass through here, no audio leaves the process.
 */
ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;
ort.env.logLevel = 'error';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
const sessions = new Map<number, ort.InferenceSession>();

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
};

function shapes(meta: readonly ort.InferenceSession.ValueMetadata[]): number[][] {
  return meta.map((m) => (m.isTensor ? m.shape.map((d) => (typeof d === 'number' ? d : -1)) : []));
}

type Answer = WasmReply extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

async function handle(m: WasmRequest): Promise<Answer> {
  switch (m.op) {
    case 'load': {
      const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(m.path)), SESSION_OPTIONS);
      sessions.set(m.id, s);
      return { ok: true, inputNames: [...s.inputNames], outputNames: [...s.outputNames], inputShapes: shapes(s.inputMetadata), outputShapes: shapes(s.outputMetadata) };
    }
    case 'run': {
      const s = sessions.get(m.id)!;
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, f] of Object.entries(m.feeds)) {
        feeds[name] = f.data instanceof BigInt64Array ? new ort.Tensor('int64', f.data, f.dims) : new ort.Tensor('float32', f.data, f.dims);
      }
      const out = await s.run(feeds);
      return { ok: true, outputs: Object.fromEntries(s.outputNames.map((n) => [n, out[n]!.data as Float32Array])) };
    }
    case 'dispose':
      await sessions.get(m.id)?.release();
      sessions.delete(m.id);
      return { ok: true };
  }
}

port.on('message', (m: WasmRequest) => {
  handle(m)
    .catch((e: unknown): Answer => ({ ok: false, message: (e as Error).message ?? String(e) }))
    .then((answer) => {
      port.postMessage({ ...answer, seq: m.seq } as WasmReply);
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
    });
});
