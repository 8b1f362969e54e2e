import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WakePipeline } from '../../src/wake/wake-pipeline.ts';
import { STOCK_WAKE_WORDS, stockModelDir, resolveWakeModel, MODEL_SHA256 } from '../../src/wake/models.ts';
import { EMBEDDING_DIM, MEL_BANDS } from '../../src/wake/constants.ts';
import { loadGolden, clipOf, streamOf, type GoldenInput } from './golden.ts';
import { nativeEngineAvailable } from '../../src/wake/onnx-model.ts';
import type { WakeEngine } from '../../src/wake/model-types.ts';

/**
 * Stage-by-stage parity with the shared golden vectors, at the tolerances the README
 * states: mel ≤ 2e-3 (dB ≤ 2e-2 for single calls), embeddings ≤ 2e-3, scores ≤ 1e-3
 * (frames 0–4 exactly 0), VAD ≤ 1e-3, threshold decisions exact.
 */
const golden = loadGolden();
const HEAD_KEYS = STOCK_WAKE_WORDS.map((w) => `${w}_v0.1`);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

interface Run {
  melRows: Map<number, Float32Array>;
  embeddings: Map<number, Float32Array>;
  scores: number[][];
  vad: number[];
}

function runStream(pipeline: WakePipeline, input: GoldenInput): Run {
  pipeline.reset();
  const stream = streamOf(input);
  const run: Run = { melRows: new Map(), embeddings: new Map(), scores: HEAD_KEYS.map(() => []), vad: [] };
  const wanted = new Set(Object.keys(input.embeddings).map(Number));
  // Push in uneven pieces: the chunker must carry remainders so frames stay aligned.
  let at = 0;
  const sizes = [1000, 1280, 3000, 517];
  for (let i = 0; at < stream.length; i++) {
    const n = sizes[i % sizes.length]!;
    pipeline.push(stream.subarray(at, at + n), (r) => {
      const firstRow = r.frame === 0 ? 0 : 8 * r.frame - 3;
      const rows = r.melRows.length / MEL_BANDS;
      for (let j = 0; j < rows; j++) run.melRows.set(firstRow + j, r.melRows.slice(j * MEL_BANDS, (j + 1) * MEL_BANDS));
      if (wanted.has(r.frame)) run.embeddings.set(r.frame, r.embedding.slice());
      r.scores.forEach((s, k) => run.scores[k]!.push(s));
      run.vad.push(r.vad!);
    });
    at += n;
  }
  return run;
}

/**
 * Both engines against the same vectors: native onnxruntime-node (where it has a binary:
 * x64, arm64) and the WebAssembly fallback (onnxruntime-web, what armv7 runs). On armv7
 * the native suite is skipped, never silently passed.
 */
const ENGINES: { engine: WakeEngine; available: boolean }[] = [
  { engine: 'native', available: nativeEngineAvailable() },
  { engine: 'wasm', available: true },
];

describe.each(ENGINES)('openWakeWord parity with golden.json, $engine engine', ({ engine, available }) => {
  let pipeline: WakePipeline;
  beforeAll(() => {
    if (!available) return;
    pipeline = new WakePipeline({ heads: STOCK_WAKE_WORDS.map((w) => resolveWakeModel(w)), vad: true, engine });
    expect(pipeline.engine).toBe(engine);
  });
  afterAll(() => pipeline?.dispose());
  beforeEach((ctx) => {
    if (!available) ctx.skip();
  });

  it('uses the exact model files the vectors were generated with', () => {
    for (const [file, { bytes, sha256 }] of Object.entries(golden.generatedWith.models)) {
      const data = readFileSync(join(stockModelDir(), file));
      expect(data.length, file).toBe(bytes);
      expect(createHash('sha256').update(data).digest('hex'), file).toBe(sha256);
      expect(MODEL_SHA256[file], file).toBe(sha256);
    }
  });

  it('regenerates the synthetic clips bit-exactly (pcmSha256)', () => {
    for (const input of golden.inputs) {
      const clip = clipOf(input);
      const hash = createHash('sha256').update(Buffer.from(clip.buffer, clip.byteOffset, clip.byteLength)).digest('hex');
      expect(hash, input.id).toBe(input.pcmSha256);
    }
  });

  it('bare mel calls match melUnit in dB (≤ 2e-2)', () => {
    const byId = new Map(golden.inputs.map((i) => [i.id, clipOf(i)]));
    const sources: Record<string, [string, number]> = {
      sine_1760: ['sine_1k', 0],
      chirp_first_1280: ['chirp', 0],
      noise_burst_onset_1760: ['noise_burst', 12320],
      zeros_1760: ['silence', 0],
    };
    for (const unit of golden.melUnit) {
      const [src, start] = sources[unit.id]!;
      const samples = Float32Array.from(byId.get(src)!.subarray(start, start + unit.samples));
      const db = pipeline.mel.computeDb(samples);
      expect(db.length, unit.id).toBe(unit.frames * MEL_BANDS);
      expect(maxAbsDiff(db, unit.dB.flat()), unit.id).toBeLessThanOrEqual(2e-2);
    }
  });

  it('warm-up embeddings match the defined seeded fill', () => {
    pipeline.reset();
    const rows = pipeline.features.latest(golden.warmup.rows);
    expect(maxAbsDiff(rows.subarray(0, EMBEDDING_DIM), golden.warmup.firstRow)).toBeLessThanOrEqual(2e-3);
    expect(maxAbsDiff(rows.subarray(rows.length - EMBEDDING_DIM), golden.warmup.lastRow)).toBeLessThanOrEqual(2e-3);
  });

  for (const input of golden.inputs) {
    it(`${input.id}: mel rows, embeddings, scores, VAD and decisions`, () => {
      const run = runStream(pipeline, input);
      expect(run.vad.length).toBe(input.stream.frames);

      for (let r = 0; r < input.mel.rowCount; r++) {
        const row = run.melRows.get(input.mel.firstRow + r);
        expect(row, `row ${input.mel.firstRow + r}`).toBeDefined();
        expect(maxAbsDiff(row!, input.mel.rows[r]!), `mel row ${input.mel.firstRow + r}`).toBeLessThanOrEqual(2e-3);
      }
      for (const [frame, expected] of Object.entries(input.embeddings)) {
        expect(maxAbsDiff(run.embeddings.get(Number(frame))!, expected), `embedding ${frame}`).toBeLessThanOrEqual(2e-3);
      }
      HEAD_KEYS.forEach((key, k) => {
        const ours = run.scores[k]!;
        const ref = input.scores[key]!;
        expect(ours.length).toBe(ref.length);
        for (let f = 0; f < 5; f++) expect(ours[f], `${key} frame ${f}`).toBe(0);
        expect(maxAbsDiff(ours, ref), key).toBeLessThanOrEqual(1e-3);
        const hits = ours.flatMap((s, f) => (s >= 0.5 ? [f] : []));
        expect(hits, key).toEqual(input.framesAtOrAboveThreshold[key]);
        const gated = hits.filter((f) => {
          const window = [f - 6, f - 5, f - 4].filter((i) => i >= 0).map((i) => run.vad[i]!);
          return window.length > 0 && Math.max(...window) >= input.framesAtOrAboveThresholdVadGated.vadThreshold;
        });
        expect(gated, `${key} VAD-gated`).toEqual(input.framesAtOrAboveThresholdVadGated.frames[key]);
      });
      expect(maxAbsDiff(run.vad, input.vad), 'vad').toBeLessThanOrEqual(1e-3);
    });
  }
});
