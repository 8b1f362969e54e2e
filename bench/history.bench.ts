import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../src/history/history-store.ts';
import { benchRequest as request } from '../test/support/history-fixture.ts';
import { benchDeleteAll } from './history-deletion.ts';
import { benchScale } from './history-scale.ts';
import { BareRecordingSink } from './history-bare.ts';
import { measured, summarize, type BenchResult } from './types.ts';

/**
 * The history store's owner-facing costs, every fixture synced to disk first:
 * - one durable insert through the public API;
 * - disk use per hour of saved request audio (and per request beyond its audio);
 * - delete one, verified, against one insert;
 * - delete-all of 10k (and 100k with --full) until verified, against a bare unlink loop
 *   on an identical fixture, with the event-loop lag and mute latency during it;
 * - store open and review pages at 1k / 10k / 100k (growth against 1k).
 */
export const suite = 'history';

const SAMPLE_RATE = 16_000;

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

async function benchInsertAndDisk(dir: string, quick: boolean): Promise<BenchResult[]> {
  const ref = HistoryStore.open({ dataDir: join(dir, 'store') });
  await ref.whenIdle();
  const bare = new BareRecordingSink(join(dir, 'bare'));
  // One durable insert through the store against the bare save of the same request, interleaved.
  const inserts: number[] = [];
  const bareInserts: number[] = [];
  for (let i = 0; i < (quick ? 30 : 200); i++) {
    const rec = request(i, 1);
    const store = async () => inserts.push((await timed(() => ref.addRecording(rec)))[1]);
    const plain = async () => bareInserts.push((await timed(() => bare.add(rec)))[1]);
    if (i % 2) (await store(), await plain());
    else (await plain(), await store());
  }
  const ins = summarize(inserts);
  const bi = summarize(bareInserts);
  const bareName = 'bare durable save of the same request: raw PCM file write + fsync, one INSERT (WAL, synchronous=FULL), interleaved';
  const results: BenchResult[] = [
    { name: 'history.insert_one_recording_ms', value: round(ins.p50), unit: 'ms', ref: measured(`${bareName}, p50`, round(bi.p50)), ratio: round(ins.p50 / bi.p50), p99: round(ins.p99), refP99: round(bi.p99) },
  ];
  // Disk per hour of saved requests: 5-second requests, everything on disk counted.
  // The WAL is transient (checkpointed after every deletion): measure settled files.
  const settled = () => (ref.database.pragma('wal_checkpoint(TRUNCATE)'), ref.diskBytes());
  const before = settled();
  const bareBefore = bare.settledDbBytes();
  const requests = quick ? 12 : 60;
  for (let i = 0; i < requests; i++) {
    await ref.addRecording(request(i, 5));
    await bare.add(request(i, 5));
  }
  await ref.whenIdle();
  const grown = settled() - before;
  const bareOverhead = (bare.settledDbBytes() - bareBefore) / requests;
  bare.close();
  const audioBytes = requests * 5 * SAMPLE_RATE * 2;
  const rawPcmPerHour = 3600 * SAMPLE_RATE * 2;
  const perHour = Math.round((grown / (requests * 5)) * 3600);
  const overhead = Math.round((grown - audioBytes) / requests);
  results.push({ name: 'history.disk_bytes_per_hour_of_requests', value: perHour, unit: 'bytes', ref: measured('raw 16 kHz 16-bit PCM per hour (the audio alone)', rawPcmPerHour), ratio: round(perHour / rawPcmPerHour, 4) });
  results.push({
    name: 'history.disk_overhead_per_request', value: overhead, unit: 'bytes', requestSeconds: 5,
    ref: measured('bytes per request of the bare save: the same metadata and words as plain rows of a bare table (settled database growth), same run', Math.round(bareOverhead)),
    ratio: bareOverhead > 0 ? round(overhead / bareOverhead) : undefined,
  });
  // Delete one (the owner's "delete this recording"), verified.
  const ones: number[] = [];
  for (const r of ref.listRecordings({ limit: quick ? 10 : 30 })) ones.push((await timed(() => ref.deleteRecording(r.id)))[1]);
  const one = summarize(ones);
  results.push({ name: 'history.delete_one_verified_ms', value: round(one.p50), unit: 'ms', p99: round(one.p99), ref: measured('one durable insert through the store (p50), same run', round(ins.p50)), ratio: round(one.p50 / ins.p50) });
  await ref.close();
  return results;
}

export async function run({ quick, full }: { quick: boolean; full?: boolean }): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-history-'));
  try {
    const results = await benchInsertAndDisk(join(dir, 'insert'), quick);
    for (const count of quick ? [2000] : full ? [10_000, 100_000] : [10_000]) results.push(...(await benchDeleteAll(dir, count)));
    results.push(...(await benchScale(join(dir, 'scale'), quick ? [1000, 10_000] : [1000, 10_000, 100_000])));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (v: number, digits = 2) => Number(v.toFixed(digits));
