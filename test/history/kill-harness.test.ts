import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/history-store.ts';
import { expectedAudio } from '../../scripts/kill-harness/expected-audio.ts';
import { tempDir } from './helpers.ts';
import { scaledTimeout } from '../support/timeout-scale.ts';

/**
 * Durability: a child process writes, deletes and changes settings at random and is
 * killed with SIGKILL at a random point; after every kill the store is reopened and
 * must hold every acknowledged write, none of the acknowledged deletions, the last
 * acknowledged setting, pass `integrity_check`, and leave no unreferenced audio file.
 * The same data dir carries on across runs, so recovery from a previous kill is itself
 * tested by the next one. TALLY_KILL_RUNS=200 runs more.
 */
const RUNS = Number(process.env.TALLY_KILL_RUNS ?? 10);
const WRITER = fileURLToPath(new URL('../../scripts/kill-harness/history-writer.ts', import.meta.url));

type Line =
  | { op: 'ready' }
  | { op: 'intent' | 'ack'; kind: 'add'; tag: string; id?: number }
  | { op: 'intent' | 'ack'; kind: 'delete'; id: number }
  | { op: 'intent' | 'ack'; kind: 'set'; volume: number }
  | { op: 'intent' | 'ack'; kind: 'delete-all' };

/** What must be on disk, as far as the parent knows. */
interface Model {
  /** Recordings the store acknowledged (or that survived a kill), by id → tag. */
  present: Map<number, string>;
  volume: number;
}

/** Runs the writer until it has acknowledged `killAfterAcks` operations (+ a little), then SIGKILLs it. */
async function runAndKill(dataDir: string, run: number, seed: number, killAfterAcks: number, extraMs: number): Promise<Line[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(run), String(seed)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Line[] = [];
  let acks = 0;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let killTimer: NodeJS.Timeout | undefined;
  const kill = () => {
    if (!killTimer) killTimer = setTimeout(() => child.kill('SIGKILL'), extraMs);
  };
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    if (line.op === 'ack' && ++acks >= killAfterAcks) kill();
  });
  if (killAfterAcks === 0) kill(); // killed while opening / migrating
  await exited;
  return lines;
}

/** Checks the reopened store against the model and the log of the run; updates the model. */
function checkAndAdvance(store: HistoryStore, model: Model, lines: Line[]): void {
  let inFlight: Line | null = null;
  for (const line of lines) {
    if (line.op === 'intent') inFlight = line;
    if (line.op !== 'ack') continue;
    inFlight = null;
    if (line.kind === 'add') model.present.set(line.id!, line.tag);
    if (line.kind === 'delete') model.present.delete(line.id);
    if (line.kind === 'delete-all') model.present.clear();
    if (line.kind === 'set') model.volume = line.volume;
  }

  const onDisk = new Map<number, string>();
  for (let offset = 0; ; offset += 1000) {
    const page = store.listRecordings({ limit: 1000, offset });
    for (const r of page) onDisk.set(r.id, store.getRecording(r.id).transcript!.replace(/^tag:/, ''));
    if (page.length < 1000) break;
  }

  // The one operation in flight when the kill came may or may not have happened — atomically.
  if (inFlight?.kind === 'add') {
    const extra = [...onDisk].find(([, tag]) => tag === inFlight.tag);
    if (extra) model.present.set(extra[0], extra[1]);
  } else if (inFlight?.kind === 'delete' && !onDisk.has(inFlight.id)) {
    model.present.delete(inFlight.id);
  } else if (inFlight?.kind === 'delete-all' && onDisk.size === 0) {
    model.present.clear();
  } else if (inFlight?.kind === 'set' && store.getSettings().volume === inFlight.volume) {
    model.volume = inFlight.volume;
  }

  expect(new Map([...onDisk].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...model.present].sort((a, b) => a[0] - b[0])));
  expect(store.getSettings().volume).toBe(model.volume);
  for (const [id, tag] of onDisk) expect(Array.from(store.getRecordingAudio(id))).toEqual(Array.from(expectedAudio(tag)));
  expect(store.database.pragma('integrity_check', { simple: true })).toBe('ok');
  const referenced = new Set(store.database.prepare('SELECT audio_file FROM recordings').pluck().all() as string[]);
  expect(readdirSync(join(store.dataDir, 'audio')).filter((f) => !referenced.has(f))).toEqual([]);
}

describe('kill -9 durability', () => {
  const { dir, cleanup } = tempDir('tally-kill-');
  afterAll(cleanup);

  it(`loses no acknowledged write, deletion or setting over ${RUNS} random kills`, { timeout: scaledTimeout(30_000 + RUNS * 5_000) }, async () => {
    const baseSeed = Number(process.env.TALLY_KILL_SEED ?? Date.now() % 100_000);
    const model: Model = { present: new Map(), volume: 0.6 };
    let acked = 0;
    for (let run = 1; run <= RUNS; run++) {
      const seed = baseSeed + run;
      // Kill at a random point: sometimes during open, usually after 1..60 acknowledged operations.
      const killAfter = seed % 9 === 0 ? 0 : 1 + (seed * 7919) % 60;
      const lines = await runAndKill(dir, run, seed, killAfter, (seed * 31) % 12);
      acked += lines.filter((l) => l.op === 'ack').length;
      const store = HistoryStore.open({ dataDir: dir, orphanGraceMs: 0 });
      try {
        await store.whenIdle(); // an interrupted deletion is finished and orphans swept, in the background
        checkAndAdvance(store, model, lines);
      } catch (e) {
        throw new Error(`kill harness failed on run ${run} (TALLY_KILL_SEED=${baseSeed}): ${(e as Error).message}`);
      } finally {
        await store.close();
      }
    }
    expect(acked).toBeGreaterThan(RUNS);
  });
});
