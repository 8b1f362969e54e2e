import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { BenchResult } from './types.ts';
import { measured, stated, summarize } from './types.ts';
import { readWavAs16kMono } from '../hal/base/wav.ts';
import { WakePipeline } from '../src/wake/wake-pipeline.ts';
import { WakeDecider } from '../src/wake/wake-decider.ts';
import { OnnxModel, SESSION_OPTIONS } from '../src/wake/onnx-model.ts';
import { loadPeerOnNode } from './wake-peer-node.ts';
import { backbonePaths, resolveWakeModel } from '../src/wake/models.ts';
import { runWakeEval, operatingPoint, listWavs } from '../src/wake/wake-eval.ts';
import { createWakeDetector } from '../src/wake/create-wake-detector.ts';
import type { WorkerWakeDetector } from '../src/wake/worker-wake-detector.ts';
import { CHUNK_SAMPLES, EMBEDDING_DIM, EMBEDDING_WINDOW, MEL_BANDS, SAMPLE_RATE } from '../src/wake/constants.ts';

/**
 * Wake-word benchmark. Speed: our pipeline per 80 ms frame (p50/p99, RTF) against, in the
 * same run and on the same audio, (a) bare ONNX inference of the three models it runs
 * (overhead ratio, interleaved frame by frame), (b) the peer engine openwakeword-js on the
 * same runtime as ours (its source on onnxruntime-node, same session options, interleaved
 * frame by frame) and (c) the peer as shipped (onnxruntime-web WASM), a second, labelled
 * line: that ratio is mostly the runtime's. Ratios are of p50s and of p99s, never means. Memory: RSS of
 * a process hosting only the detector worker. Accuracy on the project's synthesized
 * corpus (scripts/corpus/make-corpus.sh): miss rate and false accepts per hour (events)
 * at the default sensitivity, clean and at 10 dB SNR; self-wakes per hour of the device's
 * own playback containing the wake word, with the self-wake guard on.
 * --quick uses the CI-size corpus and 20 s of timing audio.
 */
export const suite = 'wake';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORD = 'alexa';

function corpusDir(quick: boolean): string {
  const dir = quick ? join(tmpdir(), 'tally-wake-corpus-ci') : join(ROOT, '.wake-corpus');
  if (!existsSync(join(dir, 'manifest.txt'))) {
    execFileSync(join(ROOT, 'scripts/corpus/make-corpus.sh'), ['--size', quick ? 'ci' : 'full', '--out', dir], { stdio: 'ignore' });
  }
  return dir;
}

/** The first `seconds` of the negative speech, as one stream. */
function timingAudio(dir: string, seconds: number): Int16Array {
  const out = new Int16Array(Math.floor((seconds * SAMPLE_RATE) / CHUNK_SAMPLES) * CHUNK_SAMPLES);
  let at = 0;
  for (const f of listWavs(join(dir, 'negative'))) {
    if (at >= out.length) break;
    const s = readWavAs16kMono(f);
    out.set(s.subarray(0, out.length - at), at);
    at += Math.min(s.length, out.length - at);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Ours and bare inference interleaved frame by frame, so load on the box hits both alike. */
function measureOursAndBare(audio: Int16Array): { ours: number[]; bare: number[] } {
  const pipeline = new WakePipeline({ heads: [resolveWakeModel(WORD)] });
  const decider = new WakeDecider(pipeline.labels, 0.5, 2000);
  const paths = backbonePaths();
  const mel = new OnnxModel(paths.mel);
  const emb = new OnnxModel(paths.embedding);
  const head = new OnnxModel(resolveWakeModel(WORD).path);
  const melIn = new Float32Array(1760);
  const embIn = new Float32Array(EMBEDDING_WINDOW * MEL_BANDS);
  const headIn = new Float32Array(16 * EMBEDDING_DIM);
  const ours: number[] = [];
  const bare: number[] = [];
  for (let k = 0; k + CHUNK_SAMPLES <= audio.length; k += CHUNK_SAMPLES) {
    const chunk = audio.subarray(k, k + CHUNK_SAMPLES);
    // Inputs for bare inference: the same shapes and content as our pipeline's.
    for (let i = 0; i < 1760; i++) melIn[i] = audio[Math.max(0, k - 480 + i)] ?? 0;
    embIn.set(pipeline.mel.window);
    headIn.set(pipeline.features.latest(16));
    const runOurs = () => {
      const t0 = performance.now();
      pipeline.push(chunk, (r) => decider.onFrame(r.frame, r.scores));
      ours.push(performance.now() - t0);
    };
    const runBare = () => {
      const t0 = performance.now();
      mel.run({ [mel.inputNames[0]!]: { data: melIn, dims: [1, 1760] } });
      emb.run({ [emb.inputNames[0]!]: { data: embIn, dims: [1, EMBEDDING_WINDOW, MEL_BANDS, 1] } });
      head.run({ [head.inputNames[0]!]: { data: headIn, dims: [1, 16, EMBEDDING_DIM] } });
      bare.push(performance.now() - t0);
    };
    // Alternate which goes first, so cache warmth and load spikes favour neither.
    if ((k / CHUNK_SAMPLES) % 2 === 0) {
      runOurs();
      runBare();
    } else {
      runBare();
      runOurs();
    }
  }
  pipeline.dispose();
  for (const m of [mel, emb, head]) m.dispose();
  return { ours: ours.slice(10), bare: bare.slice(10) }; // drop warm-up frames
}

/** The same bare inference through onnxruntime-node's public (Promise) API, for reference. */
async function measureBarePublicApi(frames: number): Promise<number[]> {
  const paths = backbonePaths();
  const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' as const };
  const mel = await ort.InferenceSession.create(paths.mel, opts);
  const emb = await ort.InferenceSession.create(paths.embedding, opts);
  const head = await ort.InferenceSession.create(resolveWakeModel(WORD).path, opts);
  const times: number[] = [];
  for (let f = 0; f < frames; f++) {
    const t0 = performance.now();
    await mel.run({ [mel.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(1760).fill(f % 7), [1, 1760]) });
    await emb.run({ [emb.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(EMBEDDING_WINDOW * MEL_BANDS).fill(1), [1, EMBEDDING_WINDOW, MEL_BANDS, 1]) });
    await head.run({ [head.inputNames[0]!]: new ort.Tensor('float32', new Float32Array(16 * EMBEDDING_DIM), [1, 16, EMBEDDING_DIM]) });
    times.push(performance.now() - t0);
  }
  await Promise.all([mel.release(), emb.release(), head.release()]);
  return times.slice(10);
}

/**
 * openwakeword-js as shipped (onnxruntime-web, WASM). It expects a browser: give it a
 * global `require`, and a fetch that can read local files.
 */
export async function measurePeer(audio: Int16Array): Promise<number[]> {
  const require = createRequire(import.meta.url);
  const g = globalThis as { require?: unknown; fetch: typeof fetch };
  const hadRequire = 'require' in g;
  const realFetch = g.fetch;
  g.require = require;
  g.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof URL ? input.href : typeof input === 'string' ? input : input.url;
    if (url.startsWith('file:') || url.startsWith('/')) {
      const path = url.startsWith('file:') ? fileURLToPath(url) : url;
      return new Response(readFileSync(path), { headers: { 'content-type': path.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream' } });
    }
    return realFetch(input, init);
  }) as typeof fetch;
  const log = console.log;
  console.log = () => {}; // the peer logs on init; bench output must stay one JSON object per line
  try {
    const { Model } = (await import('openwakeword-js')) as unknown as { Model: new (o: object) => { init(): Promise<void>; predict(x: Int16Array): Promise<unknown> } };
    const models = dirname(resolveWakeModel(WORD).path);
    const ortWebDist = join(dirname(require.resolve('onnxruntime-web')), '/');
    const peer = new Model({
      wakewordModels: [resolveWakeModel(WORD).path],
      melspectrogramModelPath: join(models, 'melspectrogram.onnx'),
      embeddingModelPath: join(models, 'embedding_model.onnx'),
      inferenceFramework: 'onnx',
      wasmPaths: pathToFileURL(ortWebDist).href,
    });
    await peer.init();
    const times: number[] = [];
    for (let k = 0; k + CHUNK_SAMPLES <= audio.length; k += CHUNK_SAMPLES) {
      const t0 = performance.now();
      await peer.predict(audio.subarray(k, k + CHUNK_SAMPLES));
      times.push(performance.now() - t0);
    }
    return times.slice(10);
  } finally {
    console.log = log;
    g.fetch = realFetch;
    if (!hadRequire) delete g.require;
  }
}

/**
 * Ours and the peer on the same runtime, interleaved frame by frame (alternating which goes
 * first), each on its own fresh state, so machine load and cache warmth hit both alike.
 */
export async function measureOursAndPeerOnNode(audio: Int16Array): Promise<{ ours: number[]; peer: number[] }> {
  const Peer = await loadPeerOnNode(SESSION_OPTIONS);
  const models = dirname(resolveWakeModel(WORD).path);
  const log = console.log;
  console.log = () => {}; // the peer logs on init; bench output must stay one JSON object per line
  const peer = new Peer({
    wakewordModels: [resolveWakeModel(WORD).path],
    melspectrogramModelPath: join(models, 'melspectrogram.onnx'),
    embeddingModelPath: join(models, 'embedding_model.onnx'),
    inferenceFramework: 'onnx',
  });
  try {
    await peer.init();
  } finally {
    console.log = log;
  }
  const pipeline = new WakePipeline({ heads: [resolveWakeModel(WORD)] });
  const decider = new WakeDecider(pipeline.labels, 0.5, 2000);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let k = 0; k + CHUNK_SAMPLES <= audio.length; k += CHUNK_SAMPLES) {
    const chunk = audio.subarray(k, k + CHUNK_SAMPLES);
    const runOurs = () => {
      const t0 = performance.now();
      pipeline.push(chunk, (r) => decider.onFrame(r.frame, r.scores));
      ours.push(performance.now() - t0);
    };
    const runPeer = async () => {
      const t0 = performance.now();
      await peer.predict(chunk);
      theirs.push(performance.now() - t0);
    };
    if ((k / CHUNK_SAMPLES) % 2 === 0) {
      runOurs();
      await runPeer();
    } else {
      await runPeer();
      runOurs();
    }
  }
  pipeline.dispose();
  return { ours: ours.slice(10), peer: theirs.slice(10) };
}

/** `ref` and `ratio` of an accuracy line against another figure of the same run (no ratio when that is 0). */
function vsClean(value: number, ref: number, refName: string): Pick<BenchResult, 'ref' | 'ratio'> {
  return { ref: measured(`${refName}, same corpus, same run`, ref), ...(ref ? { ratio: value / ref } : {}) };
}

/** p50 and p99 lines of `value` against `ref`. */
function ratioLines(name: string, v: { p50: number; p99: number }, ref: { p50: number; p99: number }, refName: string, extra: Record<string, unknown>, target?: number): BenchResult[] {
  return (['p50', 'p99'] as const).map((p) => ({
    name: `${name}.${p}`,
    value: v[p],
    unit: 'ms/frame',
    ref: measured(`${refName}, ${p}`, ref[p]),
    ratio: v[p] / ref[p],
    ...extra,
    ...(target !== undefined && p === 'p50' ? { target: `<= ${target}`, met: v[p] / ref[p] <= target } : {}),
  }));
}

/**
 * RSS (MB) of a fresh Node process (with tsx, as `tally` runs) before and after it starts
 * the detector worker and runs audio through it: the difference is the worker's cost.
 */
function measureRss(wavPath: string): { before: number; after: number } {
  const code = `
    import { register } from 'tsx/esm/api'; register();
    const { createWakeDetector } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/wake/create-wake-detector.ts')).href)});
    const { readWavAs16kMono } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'hal/base/wav.ts')).href)});
    const s = readWavAs16kMono(${JSON.stringify(wavPath)});
    const before = process.memoryUsage().rss;
    const d = await createWakeDetector({ wakeWords: ['${WORD}'], sensitivity: 'default', refractoryMs: 2000 });
    for (let i = 0; i < s.length; i += 1280) {
      d.push(s.subarray(i, i + 1280));
      if (i % 64000 === 0) await d.flush(); // stay within the detector's bounded backlog
    }
    await d.flush();
    const after = (await d.stats()).rss;
    await d.close();
    console.log(JSON.stringify({ before, after }));`;
  return runRssProbe(code, 'RSS probe');
}

/**
 * The fair floor for the detector worker's memory: RSS (MB) added to a fresh Node process
 * by a bare worker thread that only loads onnxruntime-node, opens the same three models
 * with the same session options and runs each once — no tsx, no pipeline, no VAD.
 */
function measureBareWorkerRss(): { before: number; after: number } {
  const paths = backbonePaths();
  const models = JSON.stringify([paths.mel, paths.embedding, resolveWakeModel(WORD).path]);
  const worker = `
    const req = process.getBuiltinModule('node:module').createRequire(${JSON.stringify(pathToFileURL(ROOT + '/').href)});
    const ort = req(${JSON.stringify(createRequire(import.meta.url).resolve('onnxruntime-node'))});
    const { parentPort } = req('node:worker_threads');
    (async () => {
      const sessions = [];
      for (const m of ${models}) sessions.push(await ort.InferenceSession.create(m, ${JSON.stringify(SESSION_OPTIONS)}));
      const shapes = [[1, 1760], [1, ${EMBEDDING_WINDOW}, ${MEL_BANDS}, 1], [1, 16, ${EMBEDDING_DIM}]];
      for (let i = 0; i < 3; i++) {
        const n = shapes[i].reduce((a, b) => a * b, 1);
        await sessions[i].run({ [sessions[i].inputNames[0]]: new ort.Tensor('float32', new Float32Array(n), shapes[i]) });
      }
      parentPort.postMessage('ready');
    })();`;
  const code = `
    const { Worker } = await import('node:worker_threads');
    const before = process.memoryUsage().rss;
    const w = new Worker(${JSON.stringify(worker)}, { eval: true });
    await new Promise((r) => w.once('message', r));
    const after = process.memoryUsage().rss;
    await w.terminate();
    console.log(JSON.stringify({ before, after }));`;
  return runRssProbe(code, 'bare worker RSS probe');
}

/** Own playback (replies containing the wake word) fed back through the mic path. */
async function measureSelfWakes(dir: string): Promise<{ hours: number; suppressed: number; unguarded: number }> {
  const files = listWavs(join(dir, 'playback'));
  const make = async () => (await createWakeDetector({ wakeWords: [WORD], sensitivity: 'default', refractoryMs: 2000 })) as WorkerWakeDetector;
  const guarded = await make();
  const unguarded = await make();
  let suppressed = 0;
  let raw = 0;
  guarded.on('detection', () => suppressed++);
  unguarded.on('detection', () => raw++);
  const gap = new Int16Array(SAMPLE_RATE / 2); // the room after playback ends
  let samples = 0;
  for (const f of files) {
    const s = readWavAs16kMono(f);
    samples += s.length;
    guarded.setSuppressed(true); // what the device does while its speaker plays
    guarded.push(s);
    guarded.setSuppressed(false);
    guarded.push(gap);
    unguarded.push(s);
    unguarded.push(gap);
    await Promise.all([guarded.flush(), unguarded.flush()]); // stay within the bounded backlog
  }
  await Promise.all([guarded.flush(), unguarded.flush()]);
  await Promise.all([guarded.close(), unguarded.close()]);
  return { hours: samples / SAMPLE_RATE / 3600, suppressed, unguarded: raw };
}

/** Misses per espeak-ng voice (from the corpus index), to show where the misses come from. */
function missRateByVoice(dir: string, positiveMax: number[], threshold: number, corpus: string): BenchResult {
  const index = readFileSync(join(dir, 'positive', WORD, 'index.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const byFile = new Map(index.map(([file, voice]) => [file!, voice!.split('+')[0]!]));
  const files = listWavs(join(dir, 'positive', WORD)).map((p) => p.split('/').pop()!);
  const groups: Record<string, { n: number; misses: number }> = {};
  files.forEach((f, i) => {
    const g = (groups[byFile.get(f) ?? '?'] ??= { n: 0, misses: 0 });
    g.n++;
    if (positiveMax[i]! < threshold) g.misses++;
  });
  const byVoice = Object.fromEntries(Object.entries(groups).map(([v, g]) => [v, `${g.misses}/${g.n}`]));
  const total = files.length;
  const misses = Object.values(groups).reduce((a, g) => a + g.misses, 0);
  return { name: 'wake.miss_rate_clean_by_voice', value: misses / total, unit: 'ratio', ref: stated('the wake word target: miss rate <= 5 % at the default sensitivity', 0.05), ratio: misses / total / 0.05, byVoice, corpus };
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const dir = corpusDir(quick);
  const corpus = quick ? 'ci' : 'full';
  const audio = timingAudio(dir, quick ? 20 : 60);
  const results: BenchResult[] = [];

  const { ours, bare } = measureOursAndBare(audio);
  const o = summarize(ours);
  const b = summarize(bare);
  const audioMs = (ours.length * CHUNK_SAMPLES * 1000) / SAMPLE_RATE;
  const BARE = 'bare inference of the same three models, native binding, interleaved frame by frame';
  results.push({ name: 'wake.frame_ms_p50', value: o.p50, unit: 'ms', ref: measured(`${BARE}, p50`, b.p50), ratio: o.p50 / b.p50 });
  results.push({ name: 'wake.frame_ms_p99', value: o.p99, unit: 'ms', ref: measured(`${BARE}, p99`, b.p99), ratio: o.p99 / b.p99 });
  const rtf = (o.mean * ours.length) / audioMs;
  const bareRtf = (b.mean * bare.length) / audioMs;
  results.push({ name: 'wake.rtf', value: rtf, unit: 'ratio', ref: measured(`${BARE}: its real-time factor (total time / audio time)`, bareRtf), ratio: rtf / bareRtf, note: 'a real-time factor is a total (a mean), by definition' });
  results.push(...ratioLines('wake.overhead_vs_bare_inference', o, b, BARE, {}, 1.15));
  const pub = summarize(await measureBarePublicApi(Math.min(ours.length, 250)));
  results.push(...ratioLines('wake.bare_inference_public_api', pub, b, 'bare inference, native binding', { note: 'same three models via session.run() Promise API' }));

  const same = await measureOursAndPeerOnNode(audio);
  results.push(
    ...ratioLines('wake.speed_vs_peer_same_runtime', summarize(same.ours), summarize(same.peer), 'openwakeword-js (its source) on onnxruntime-node, same session options, interleaved frame by frame', {}, 1),
  );
  const wasm = summarize(await measurePeer(audio));
  results.push(
    ...ratioLines('wake.speed_vs_peer_wasm', o, wasm, 'openwakeword-js as shipped: onnxruntime-web (WASM), run after ours, not interleaved', {
      note: 'different runtimes: this ratio is mostly native vs WASM inference, not the pipeline',
    }),
  );

  const rss = measureRss(join(dir, 'negative', listWavs(join(dir, 'negative'))[0]!.split('/').pop()!));
  const bareRss = measureBareWorkerRss();
  const workerMb = rss.after - rss.before;
  const bareMb = bareRss.after - bareRss.before;
  results.push({
    name: 'wake.worker_rss', value: workerMb, unit: 'MB', ref: measured('RSS added by a bare worker thread that only opens the same three ONNX models (same options) and runs each once, fresh process, same run', bareMb),
    ratio: workerMb / bareMb, processRss: rss.after, processRssBefore: rss.before, note: 'RSS added by starting the detector worker (wake + VAD, through tsx) and running audio; processRss is the whole tally-like process', target: 'value <= 150',
  });

  const evalOpts = { model: WORD, positiveDir: join(dir, 'positive', WORD), negativeDir: join(dir, 'negative') };
  const { result: clean, trace } = runWakeEval(evalOpts);
  results.push({ name: 'wake.miss_rate_clean', value: clean.missRate, unit: 'ratio', ref: stated('the wake word target: miss rate <= 5 % at the default sensitivity', 0.05), ratio: clean.missRate / 0.05, positives: clean.positives, threshold: clean.threshold, corpus, target: 'value <= 0.05' });
  results.push({ name: 'wake.false_accepts_per_hour_clean', value: clean.falseAcceptsPerHour, unit: '1/h', ref: stated('the wake word target: <= 0.5 false accepts per hour of conversation', 0.5), ratio: clean.falseAcceptsPerHour / 0.5, falseAccepts: clean.falseAccepts, negativeHours: clean.negativeHours, corpus, target: 'value <= 0.5' });
  results.push(missRateByVoice(dir, trace.positiveMax, clean.threshold, corpus));
  const op = operatingPoint(trace, 0.5);
  results.push({ name: 'wake.miss_rate_at_0.5_fa_per_hour_clean', value: op.missRate, unit: 'ratio', ...vsClean(op.missRate, clean.missRate, 'wake.miss_rate_clean: the default threshold'), threshold: op.threshold, falseAcceptsPerHour: op.falseAcceptsPerHour, corpus, note: 'lowest threshold (0.01 steps) with FA/h <= 0.5 on this corpus' });
  const { result: noisy, trace: noisyTrace } = runWakeEval({ ...evalOpts, noise: join(dir, 'noise', 'pink.wav'), snrDb: 10 });
  const noisyOp = operatingPoint(noisyTrace, 0.5);
  results.push({ name: 'wake.miss_rate_at_0.5_fa_per_hour_snr10', value: noisyOp.missRate, unit: 'ratio', ...vsClean(noisyOp.missRate, op.missRate, 'wake.miss_rate_at_0.5_fa_per_hour_clean: the same operating point on clean speech'), threshold: noisyOp.threshold, falseAcceptsPerHour: noisyOp.falseAcceptsPerHour, corpus });
  results.push({ name: 'wake.miss_rate_snr10', value: noisy.missRate, unit: 'ratio', ...vsClean(noisy.missRate, clean.missRate, 'wake.miss_rate_clean: the same positives without noise'), positives: noisy.positives, corpus });
  results.push({ name: 'wake.false_accepts_per_hour_snr10', value: noisy.falseAcceptsPerHour, unit: '1/h', ...vsClean(noisy.falseAcceptsPerHour, clean.falseAcceptsPerHour, 'wake.false_accepts_per_hour_clean: the same speech without noise'), falseAccepts: noisy.falseAccepts, negativeHours: noisy.negativeHours, corpus });
  const { result: reverb, trace: confusable } = runWakeEval({ ...evalOpts, positiveDir: join(dir, 'positive-reverb', WORD), negativeDir: join(dir, 'negative-confusable') });
  results.push({ name: 'wake.miss_rate_reverb', value: reverb.missRate, unit: 'ratio', ...vsClean(reverb.missRate, clean.missRate, 'wake.miss_rate_clean: the same positives without reverb'), positives: reverb.positives, corpus });
  results.push({ name: 'wake.false_accepts_per_hour_confusables', value: reverb.falseAcceptsPerHour, unit: '1/h', ...vsClean(reverb.falseAcceptsPerHour, clean.falseAcceptsPerHour, 'wake.false_accepts_per_hour_clean: conversational speech'), falseAccepts: reverb.falseAccepts, negativeHours: reverb.negativeHours, maxScore: Math.max(...confusable.negative), corpus, note: 'speech dense with near-misses (Alexander, Alexandra, Alaska ...): a stress test, not comparable to conversational FA/h' });

  const self = await measureSelfWakes(dir);
  results.push({ name: 'wake.self_wakes_per_hour_guarded', value: self.suppressed / self.hours, unit: '1/h', ...vsClean(self.suppressed / self.hours, self.unguarded / self.hours, 'the same playback with the self-wake guard off'), wakes: self.suppressed, playbackHours: self.hours, unguardedWakes: self.unguarded, unguardedPerHour: self.unguarded / self.hours, corpus, target: '0' });
  return results;
}

/** Runs an RSS probe script in a fresh Node process; its last stdout line is {before, after} in bytes. */
function runRssProbe(code: string, what: string): { before: number; after: number } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  try {
    const { before, after } = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { before: number; after: number };
    return { before: before / 2 ** 20, after: after / 2 ** 20 };
  } catch {
    throw new Error(`${what} failed: ${r.stderr.slice(0, 300)}`);
  }
}
