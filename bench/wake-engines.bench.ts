import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './types.ts';
import { measured, summarize } from './types.ts';
import { OnnxModel } from '../src/wake/onnx-model.ts';
import { backbonePaths } from '../src/wake/models.ts';
import { EMBEDDING_DIM, EMBEDDING_WINDOW, MEL_BANDS } from '../src/wake/constants.ts';
import { readWavAs16kMono } from '../hal/base/wav.ts';
import { WakePipeline } from '../src/wake/wake-pipeline.ts';
import { resolveWakeModel } from '../src/wake/models.ts';
import { CHUNK_SAMPLES } from '../src/wake/constants.ts';
import type { WakeEngine } from '../src/wake/model-types.ts';

/**
 * Per-frame cost of the wake pipeline (mel + embedding + one head, as the device runs it)
 * on the WebAssembly fallback (onnxruntime-web, what 32-bit Raspberry Pi OS gets) against
 * the native engine (onnxruntime-node), in one process, on the same audio, in interleaved
 * blocks so machine load hits both alike. ratio = wasm / native.
 */
export const suite = 'wake-engines';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WAV = join(ROOT, 'test/wake/fixtures/wakeword/audio/tts_alexa_command.wav');

/** Bare native inference of the same three models per frame (same shapes), no pipeline around it. */
function bareNative(): { block: (chunks: Int16Array[], into: number[]) => void; dispose: () => void } {
  const paths = backbonePaths();
  const mel = new OnnxModel(paths.mel);
  const emb = new OnnxModel(paths.embedding);
  const head = new OnnxModel(resolveWakeModel('alexa').path);
  const melIn = new Float32Array(1760);
  const embIn = new Float32Array(EMBEDDING_WINDOW * MEL_BANDS);
  const headIn = new Float32Array(16 * EMBEDDING_DIM);
  return {
    block(chunks, into) {
      for (const c of chunks) {
        for (let i = 0; i < c.length; i++) melIn[i] = c[i]!;
        const t0 = performance.now();
        mel.run({ [mel.inputNames[0]!]: { data: melIn, dims: [1, 1760] } });
        emb.run({ [emb.inputNames[0]!]: { data: embIn, dims: [1, EMBEDDING_WINDOW, MEL_BANDS, 1] } });
        head.run({ [head.inputNames[0]!]: { data: headIn, dims: [1, 16, EMBEDDING_DIM] } });
        into.push(performance.now() - t0);
      }
    },
    dispose: () => [mel, emb, head].forEach((m) => m.dispose()),
  };
}

function timeBlock(p: WakePipeline, chunks: Int16Array[], into: number[]): void {
  for (const c of chunks) {
    const t0 = performance.now();
    p.processChunk(c);
    into.push(performance.now() - t0);
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const audio = readWavAs16kMono(WAV);
  const chunks: Int16Array[] = [];
  for (let i = 0; i + CHUNK_SAMPLES <= audio.length; i += CHUNK_SAMPLES) chunks.push(audio.subarray(i, i + CHUNK_SAMPLES));
  const engines: WakeEngine[] = ['native', 'wasm'];
  const pipelines = Object.fromEntries(engines.map((e) => [e, new WakePipeline({ heads: [resolveWakeModel('alexa')], engine: e })])) as Record<WakeEngine, WakePipeline>;
  const samples: Record<WakeEngine, number[]> = { native: [], wasm: [] };
  const bare = bareNative();
  const bareSamples: number[] = [];
  try {
    for (const e of engines) timeBlock(pipelines[e], chunks.slice(0, 10), []); // warm-up (JIT, wasm tier-up)
    bare.block(chunks.slice(0, 10), []);
    const rounds = quick ? 3 : 12;
    for (let r = 0; r < rounds; r++) {
      for (const e of r % 2 ? [...engines].reverse() : engines) {
        pipelines[e].reset();
        timeBlock(pipelines[e], chunks, samples[e]);
      }
      bare.block(chunks, bareSamples);
    }
  } finally {
    for (const e of engines) pipelines[e].dispose();
    bare.dispose();
  }
  const b = summarize(bareSamples);
  const native = summarize(samples.native);
  const wasm = summarize(samples.wasm);
  const frameMs = (CHUNK_SAMPLES / 16000) * 1000;
  const nativeName = 'the native engine, same pipeline, same audio, interleaved blocks';
  return [
    { name: 'wake.engine.native.frame_ms_p50', value: native.p50, unit: 'ms', frames: samples.native.length, p99: native.p99, ref: measured('bare native inference of the same three models per frame (no pipeline), interleaved blocks, p50', b.p50), ratio: native.p50 / b.p50 },
    { name: 'wake.engine.wasm.frame_ms_p50', value: wasm.p50, unit: 'ms', frames: samples.wasm.length, p99: wasm.p99, ref: measured(`${nativeName}, p50`, native.p50), ratio: wasm.p50 / native.p50 },
    { name: 'wake.engine.wasm.frame_ms_p99', value: wasm.p99, unit: 'ms', ref: measured(`${nativeName}, p99`, native.p99), ratio: wasm.p99 / native.p99 },
    // Share of one core per 80 ms of audio: > 1 means the engine cannot keep up in real time.
    { name: 'wake.engine.wasm.rtf', value: wasm.mean / frameMs, unit: 'x', ref: measured(`${nativeName}: its real-time factor (mean frame time / 80 ms)`, native.mean / frameMs), ratio: wasm.mean / native.mean },
  ];
}
