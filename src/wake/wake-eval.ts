import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readWavAs16kMono } from '../../hal/base/wav.ts';
import { TallyError } from '../../hal/base/errors.ts';
import { WakePipeline } from './wake-pipeline.ts';
import { WakeDecider } from './wake-decider.ts';
import { resolveWakeModel } from './models.ts';
import { thresholdFor } from './sensitivity.ts';
import { SAMPLE_RATE } from './constants.ts';
import { mixAtSnr } from './mix.ts';

/**
 * Offline accuracy evaluation of one wake-word model (what `tally wake-eval` prints).
 * Misses: positive files with no event. False accepts: *events* (with the refractory)
 * over all negative audio, processed as one continuous stream, per hour of that audio.
 * Each positive file is evaluated from a fresh pipeline with 1 s of silence before it
 * (so the clip never falls in the start-up frames) and 0.5 s after it.
 */
export interface WakeEvalOptions {
  model: string;
  positiveDir: string;
  negativeDir: string;
  noise?: string;
  snrDb?: number;
  threshold?: number;
  refractoryMs?: number;
  /** Called after each file (positives first, then negatives): progress for the CLI. */
  onFile?: (done: number, total: number, file: string) => void;
}

/** One folder's share of the result (`wake-eval` prints these as a table). */
export interface FolderResult {
  folder: string;
  kind: 'positive' | 'negative';
  files: number;
  /** positive folders: files without an event; negative: wake events. */
  errors: number;
}

export interface WakeEvalResult {
  model: string;
  threshold: number;
  positives: number;
  misses: number;
  missRate: number;
  negativeHours: number;
  falseAccepts: number;
  falseAcceptsPerHour: number;
  rtf: number;
  frameMsP50: number;
  frameMsP99: number;
  /** Positive files with no wake event. */
  missedFiles: string[];
  /** Negative files that produced at least one wake event. */
  falseAcceptFiles: string[];
  folders: FolderResult[];
}

/** The .wav files in `dir`, sorted; `recursive` (wake-eval) includes every sub-folder. */
export function listWavs(dir: string, opts: { recursive?: boolean } = {}): string[] {
  let names: string[];
  try {
    names = (opts.recursive ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : readdirSync(dir)).map(String);
  } catch (cause) {
    throw new TallyError('WAKE_EVAL_DIR_MISSING', `cannot read directory ${dir}`, { cause });
  }
  const files = names
    .filter((n) => n.toLowerCase().endsWith('.wav'))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
  if (files.length === 0) throw new TallyError('WAKE_EVAL_EMPTY', `no .wav files in ${dir}${opts.recursive ? ' or its sub-folders' : ''}`);
  return files;
}

/** Per-folder counts, folders relative to the directory given (`.` for files at its top). */
function byFolder(root: string, files: string[], bad: Set<string>, kind: FolderResult['kind']): FolderResult[] {
  const folders = new Map<string, FolderResult>();
  for (const f of files) {
    const folder = relative(root, dirname(f)) || '.';
    const r = folders.get(folder) ?? { folder: join(relative(process.cwd(), root) || '.', folder), kind, files: 0, errors: 0 };
    r.files++;
    if (bad.has(f)) r.errors++;
    folders.set(folder, r);
  }
  return [...folders.values()];
}

function percentileOf(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs audio through a pipeline + decider, timing every frame. */
export class TimedRunner {
  readonly pipeline: WakePipeline;
  readonly decider: WakeDecider;
  frameMs: number[] = [];
  /** Raw score of the first label, per frame, in processing order. */
  scores: number[] = [];
  samples = 0;

  constructor(pipeline: WakePipeline, decider: WakeDecider) {
    this.pipeline = pipeline;
    this.decider = decider;
  }

  /** Number of wake events the audio produced. */
  run(audio: Int16Array): number {
    let events = 0;
    let t0 = performance.now();
    this.pipeline.push(audio, (r) => {
      if (this.decider.onFrame(r.frame, r.scores)) events++;
      this.scores.push(r.scores[0]!);
      const t1 = performance.now();
      this.frameMs.push(t1 - t0);
      t0 = t1;
    });
    this.samples += audio.length;
    return events;
  }

  reset(): void {
    this.pipeline.reset();
    this.decider.reset();
  }

  timing(): { rtf: number; frameMsP50: number; frameMsP99: number } {
    const sorted = Float64Array.from(this.frameMs).sort();
    const busy = this.frameMs.reduce((a, b) => a + b, 0);
    return {
      rtf: busy / ((this.samples / SAMPLE_RATE) * 1000),
      frameMsP50: percentileOf(sorted, 50),
      frameMsP99: percentileOf(sorted, 99),
    };
  }
}

const LEAD = SAMPLE_RATE;
const TAIL = SAMPLE_RATE / 2;

function padded(clip: Int16Array): Int16Array {
  const out = new Int16Array(LEAD + clip.length + TAIL);
  out.set(clip, LEAD);
  return out;
}

/** Raw per-frame scores an evaluation saw, for threshold sweeps without re-running models. */
export interface ScoreTrace {
  /** Highest score per positive file. */
  positiveMax: number[];
  /** Scores of the negative audio, one continuous stream. */
  negative: Float32Array;
  negativeHours: number;
  refractoryMs: number;
}

export function evaluateWakeModel(opts: WakeEvalOptions): WakeEvalResult {
  return runWakeEval(opts).result;
}

export function runWakeEval(opts: WakeEvalOptions): { result: WakeEvalResult; trace: ScoreTrace } {
  if ((opts.noise === undefined) !== (opts.snrDb === undefined)) {
    throw new TallyError('WAKE_EVAL_BAD_OPTIONS', '--noise and --snr go together');
  }
  const ref = resolveWakeModel(opts.model);
  const positives = listWavs(opts.positiveDir, { recursive: true });
  const negatives = listWavs(opts.negativeDir, { recursive: true });
  const total = positives.length + negatives.length;
  let done = 0;
  const fileDone = (f: string) => opts.onFile?.(++done, total, f);
  const noise = opts.noise === undefined ? undefined : readWavAs16kMono(opts.noise);
  const threshold = opts.threshold ?? thresholdFor('default');
  const refractoryMs = opts.refractoryMs ?? 2000;
  let mixSeed = 1;
  const withNoise = (s: Int16Array) => (noise ? mixAtSnr(s, noise, opts.snrDb!, mixSeed++) : s);

  const pipeline = new WakePipeline({ heads: [ref] });
  try {
    const runner = new TimedRunner(pipeline, new WakeDecider(pipeline.labels, threshold, refractoryMs));
    const { missed, positiveMax } = runPositives(runner, positives, withNoise, fileDone);
    const misses = missed.size;
    runner.reset();
    const positiveSamples = runner.samples;
    const negativeFrom = runner.scores.length;
    const eventsIn = runNegatives(runner, negatives, withNoise, fileDone);
    const falseAccepts = [...eventsIn.values()].reduce((a, b) => a + b, 0);
    const negativeHours = (runner.samples - positiveSamples) / SAMPLE_RATE / 3600;
    const trace = { positiveMax, negative: Float32Array.from(runner.scores.slice(negativeFrom)), negativeHours, refractoryMs };
    const result = {
      model: opts.model,
      threshold,
      positives: positives.length,
      misses,
      missRate: misses / positives.length,
      negativeHours,
      falseAccepts,
      falseAcceptsPerHour: falseAccepts / negativeHours,
      ...runner.timing(),
      missedFiles: [...missed],
      falseAcceptFiles: [...eventsIn.keys()],
      folders: [...byFolder(opts.positiveDir, positives, missed, 'positive'), ...byFolderEvents(opts.negativeDir, negatives, eventsIn)],
    };
    return { result, trace };
  } finally {
    pipeline.dispose();
  }
}

type Mix = (s: Int16Array) => Int16Array;

/** Each positive file from a fresh pipeline: which had no event, and its highest score. */
function runPositives(runner: TimedRunner, files: string[], withNoise: Mix, fileDone: (f: string) => void) {
  const missed = new Set<string>();
  const positiveMax: number[] = [];
  for (const file of files) {
    runner.reset();
    const from = runner.scores.length;
    if (runner.run(withNoise(padded(readWavAs16kMono(file)))) === 0) missed.add(file);
    positiveMax.push(Math.max(0, ...runner.scores.slice(from)));
    fileDone(file);
  }
  return { missed, positiveMax };
}

/** The negative files as one continuous stream: wake events per file that had any. */
function runNegatives(runner: TimedRunner, files: string[], withNoise: Mix, fileDone: (f: string) => void): Map<string, number> {
  const eventsIn = new Map<string, number>();
  for (const file of files) {
    const events = runner.run(withNoise(readWavAs16kMono(file)));
    if (events) eventsIn.set(file, events);
    fileDone(file);
  }
  return eventsIn;
}

function byFolderEvents(root: string, files: string[], events: Map<string, number>): FolderResult[] {
  const rows = byFolder(root, files, new Set(), 'negative');
  for (const [f, n] of events) {
    const folder = join(relative(process.cwd(), root) || '.', relative(root, dirname(f)) || '.');
    rows.find((r) => r.folder === folder)!.errors += n;
  }
  return rows;
}

/** Misses and false accepts (events, with the refractory) of a trace at one threshold. */
export function scoreAt(trace: ScoreTrace, threshold: number): { missRate: number; falseAcceptsPerHour: number } {
  const decider = new WakeDecider(['w'], threshold, trace.refractoryMs);
  let events = 0;
  for (let f = 0; f < trace.negative.length; f++) if (decider.onFrame(f, [trace.negative[f]!])) events++;
  const misses = trace.positiveMax.filter((m) => m < threshold).length;
  return { missRate: misses / trace.positiveMax.length, falseAcceptsPerHour: events / trace.negativeHours };
}

/** The lowest threshold (0.01 steps) whose false accepts per hour stay within `maxFaPerHour`. */
export function operatingPoint(trace: ScoreTrace, maxFaPerHour: number): { threshold: number; missRate: number; falseAcceptsPerHour: number } {
  for (let t = 1; t <= 99; t++) {
    const r = scoreAt(trace, t / 100);
    if (r.falseAcceptsPerHour <= maxFaPerHour) return { threshold: t / 100, ...r };
  }
  return { threshold: 1, missRate: 1, falseAcceptsPerHour: 0 };
}
