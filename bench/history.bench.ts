import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioFiles } from '../src/history/audio-files.ts';
import { HistoryStore } from '../src/history/history-store.ts';
import { aadFor, insertRecordingRow, newRowKey, type NewRecording } from '../src/history/recordings.ts';
import { seal } from '../src/history/sealed-box.ts';
import { int16ToBytes } from '../hal/base/wav.ts';
import { summarize, type BenchResult } from './types.ts';

/**
 * The history store's owner-facing costs:
 * - delete-all of 10,000 recordings until verified clean (rows gone, audio unlinked, WAL
 *   checkpointed and truncated), against the same run's cost of one durable insert;
 * - one review page of 50 (what the screen's history view loads);
 * - disk use per hour of saved request audio (and per request beyond its audio).
 */
export const suite = 'history';

const SAMPLE_RATE = 16_000;

function request(i: number, seconds: number): NewRecording {
  const audio = new Int16Array(seconds * SAMPLE_RATE);
  for (let s = 0; s < audio.length; s++) audio[s] = Math.round(8000 * Math.sin((s + i) / 7)) + ((s * 7919) % 97);
  const startedAt = Date.UTC(2026, 0, 1) + i * 60_000;
  return {
    audio,
    transcript: `what's the weather like in city number ${i}`,
    responseText: `It is ${i % 30} degrees and sunny.`,
    trigger: i % 5 === 0 ? 'button' : 'wake',
    preRollMs: 500,
    deviceId: i % 3 ? 'kitchen' : 'bedroom',
    startedAt,
    endedAt: startedAt + seconds * 1000,
  };
}

/** Fills a store fast (one transaction, files without per-file fsync): only the deletion is timed. */
function populate(store: HistoryStore, count: number, seconds: number): void {
  const audio = new AudioFiles(store.dataDir);
  const db = store.database;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const r = request(i, seconds);
      const key = newRowKey();
      const file = audio.newName();
      writeFileSync(audio.path(file), seal(key, int16ToBytes(r.audio), aadFor('audio', file)));
      insertRecordingRow(db, r, file, key, r.endedAt);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-history-'));
  const results: BenchResult[] = [];
  try {
    // Reference: one durable insert through the public API (sealed file + fsyncs + row).
    const ref = HistoryStore.open({ dataDir: join(dir, 'ref') });
    const inserts: number[] = [];
    for (let i = 0; i < (quick ? 30 : 200); i++) inserts.push((await timed(() => ref.addRecording(request(i, 1))))[1]);
    const insertMs = summarize(inserts).p50;
    results.push({ name: 'history.insert_one_recording_ms', value: round(insertMs), unit: 'ms', p99: round(summarize(inserts).p99) });

    // Disk per hour of saved requests: 5-second requests, everything on disk counted.
    // The WAL is transient (checkpointed after every deletion): measure settled files.
    const settled = () => (ref.database.pragma('wal_checkpoint(TRUNCATE)'), ref.diskBytes());
    const before = settled();
    const requests = quick ? 12 : 60;
    for (let i = 0; i < requests; i++) await ref.addRecording(request(i, 5));
    await ref.whenIdle();
    const grown = settled() - before;
    const audioBytes = requests * 5 * SAMPLE_RATE * 2;
    results.push({ name: 'history.disk_bytes_per_hour_of_requests', value: Math.round((grown / (requests * 5)) * 3600), unit: 'bytes', rawPcmPerHour: 3600 * SAMPLE_RATE * 2 });
    results.push({ name: 'history.disk_overhead_per_request', value: Math.round((grown - audioBytes) / requests), unit: 'bytes', requestSeconds: 5 });
    await ref.close();

    // Review page of 50 out of N, the newest and one deep in the list.
    const count = quick ? 500 : 10_000;
    const store = HistoryStore.open({ dataDir: join(dir, 'big') });
    populate(store, count, 0.5);
    const pages: number[] = [];
    for (let i = 0; i < (quick ? 50 : 300); i++) {
      const offset = (i % 2) * Math.floor(count / 2);
      pages.push((await timed(() => store.listRecordings({ limit: 50, offset })))[1]);
    }
    const page = summarize(pages);
    results.push({ name: 'history.review_page_50_ms', value: round(page.p50), unit: 'ms', p99: round(page.p99), recordings: count });

    // Delete one (the owner's "delete this recording") from the full store, verified.
    const ones: number[] = [];
    for (const r of store.listRecordings({ limit: quick ? 10 : 30, offset: Math.floor(count / 3) })) {
      ones.push((await timed(() => store.deleteRecording(r.id)))[1]);
    }
    const one = summarize(ones);
    results.push({ name: 'history.delete_one_verified_ms', value: round(one.p50), unit: 'ms', p99: round(one.p99), recordings: count, ref: round(insertMs), ratio: round(one.p50 / insertMs) });
    const remaining = store.countRecordings();

    // Delete all until verified clean.
    const [receipt, deleteMs] = await timed(() => store.deleteAll());
    if (receipt.recordings !== remaining || !receipt.verified) throw new Error(`delete-all removed ${receipt.recordings}/${remaining}`);
    results.push({
      name: 'history.delete_all_verified_ms',
      value: round(deleteMs),
      unit: 'ms',
      recordings: remaining,
      ref: round(insertMs),
      ratio: round(deleteMs / insertMs),
      refName: 'one durable insert (ms)',
      perRecordingMs: round(deleteMs / remaining, 4),
    });
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const round = (v: number, digits = 2) => Number(v.toFixed(digits));
