import type { Feed } from './model-types.ts';

/** Requests from WasmOnnxModel to its inference thread (ort-wasm-host.worker.ts). */
export type WasmRequest = { seq: number } & (
  | { op: 'load'; id: number; path: string }
  | { op: 'run'; id: number; feeds: Record<string, Feed> }
  | { op: 'dispose'; id: number }
);

/** `seq` echoes the request's: a reply is matched to its request, never taken by position. */
export type WasmReply = { seq: number } & (
  | { ok: false; message: string }
  | { ok: true; inputNames?: string[]; outputNames?: string[]; inputShapes?: number[][]; outputShapes?: number[][]; outputs?: Record<string, Float32Array> }
);
