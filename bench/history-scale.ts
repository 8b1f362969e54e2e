import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryStore } from '../src/history/history-store.ts';
import { populateRecordings } from '../test/support/history-fixture.ts';
import { measured, summarize, type BenchResult } from './types.ts';

const GROWTH_TARGET = 2;

async function timedRepeat(n: number, fn: () => unknown | Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

interface SizePoint {
  open: { p50: number; p99: number };
  maintenance: number;
  newest: { p50: number; p99: number };
  deepestKeyset: { p50: number; p99: number };
  deepestOffset: { p50: number; p99: number };
  /** Floors on the same file: a bare better-sqlite3 open (+ WAL pragma) and a bare SELECT of the same newest 50 rows. */
  bareOpen: { p50: number; p99: number };
  barePage: { p50: number; p99: number };
  /** A bare readdir of the audio directory: the floor of a sweep that must look at every file. */
  bareReaddir: number;
}

/** One store size: open (to usable), the background maintenance after it, three review pages of 50. */
async function measureSize(dataDir: string, count: number, reps: number): Promise<SizePoint> {
  const opens: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const s = HistoryStore.open({ dataDir });
    opens.push(performance.now() - t0);
    await s.close(); // untimed; close stops the background sweep at its next batch
  }
  const open = summarize(opens);
  const store = HistoryStore.open({ dataDir });
  const m0 = performance.now();
  await store.whenIdle();
  const maintenance = performance.now() - m0;
  // The cursor the screen holds after paging to the end: the row just before the last page.
  const last = store.database
    .prepare('SELECT started_at AS startedAt, id FROM recordings ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ?')
    .get(count - 51) as { startedAt: number; id: number };
  const point: Omit<SizePoint, 'bareOpen' | 'barePage' | 'bareReaddir'> & Partial<SizePoint> = {
    open,
    maintenance,
    newest: await timedRepeat(reps * 4, () => store.listRecordings({ limit: 50 })),
    deepestKeyset: await timedRepeat(reps * 4, () => store.listRecordings({ limit: 50, after: last })),
    deepestOffset: await timedRepeat(reps * 4, () => store.listRecordings({ limit: 50, offset: count - 50 })),
  };
  if (store.listRecordings({ limit: 50, after: last }).length !== 50) throw new Error('keyset page is not full');
  const bareSelect = store.database.prepare('SELECT id, started_at, ended_at, trigger, device_id, audio_samples FROM recordings ORDER BY started_at DESC, id DESC LIMIT 50');
  point.barePage = await timedRepeat(reps * 4, () => bareSelect.all());
  point.bareOpen = await timedRepeat(reps, () => {
    const db = new Database(store.dbPath, { fileMustExist: true });
    db.pragma('journal_mode = WAL');
    db.close();
  });
  const d0 = performance.now();
  readdirSync(join(dataDir, 'audio'));
  point.bareReaddir = performance.now() - d0;
  await store.close();
  return point as SizePoint;
}

/**
 * Store open and history pages at 1k / 10k / 100k recordings (files on disk, synced), each
 * against the 1k figure of the same run (growth ratio, target ≤ 2× at 100k); the deepest
 * page is read with the keyset cursor, and with OFFSET as a labelled reference (the old
 * paging). The background maintenance after open (orphan sweep) is linear by nature and
 * reported, not targeted.
 */
export async function benchScale(dataDir: string, sizes: number[]): Promise<BenchResult[]> {
  const seed = HistoryStore.open({ dataDir });
  await seed.whenIdle();
  const points = new Map<number, SizePoint>();
  let have = 0;
  for (const n of sizes) {
    populateRecordings(seed, n - have, 0.05, have);
    have = n;
    points.set(n, await measureSize(dataDir, n, 12));
  }
  await seed.close();
  const base = points.get(sizes[0]!)!;
  const r = (v: number, d = 3) => Number(v.toFixed(d));
  const out: BenchResult[] = [];
  const biggest = sizes.at(-1)!;
  for (const [n, p] of points) {
    const label = `${n / 1000}k`;
    const line = (what: string, v: { p50: number; p99: number }, growthRef: { p50: number; p99: number }, targeted: boolean, extra: object = {}, bareRef?: { name: string; v: { p50: number; p99: number } }) => {
      // At the smallest size the figure is compared with the bare operation on the same file; above it, with itself at the smallest size (growth).
      const smallest = n === sizes[0] && bareRef;
      const b = smallest ? bareRef.v : growthRef;
      const ratio = v.p50 / b.p50;
      out.push({
        name: `history.${what}.${label}_ms`, value: r(v.p50), unit: 'ms', p99: r(v.p99), recordings: n,
        ref: measured(smallest ? `${bareRef.name}, same file, same run, p50` : `same figure at ${sizes[0]! / 1000}k, same run, p50`, r(b.p50)), ratio: r(ratio), p99Ratio: r(v.p99 / b.p99),
        ...(targeted && n === biggest ? { target: `<= ${GROWTH_TARGET}`, met: ratio <= GROWTH_TARGET, issueTarget: `#19 ${what.replace(/_/g, ' ')} at ${label} within ${GROWTH_TARGET}× of ${sizes[0]! / 1000}k` } : {}), ...extra,
      });
    };
    const bareOpen = { name: 'bare better-sqlite3 open + WAL pragma + close', v: p.bareOpen };
    const barePage = { name: 'bare SELECT of the newest 50 rows (no unsealing), prepared', v: p.barePage };
    line('open', p.open, base.open, true, { bareMs: r(p.bareOpen.p50) }, bareOpen);
    line('page_newest', p.newest, base.newest, true, { bareMs: r(p.barePage.p50) }, barePage);
    line('page_deepest_keyset', p.deepestKeyset, base.deepestKeyset, true, {}, barePage);
    line('page_deepest_offset', p.deepestOffset, base.deepestOffset, false, { note: 'OFFSET paging (the old way), for reference' }, barePage);
    out.push({ name: `history.maintenance_after_open.${label}_ms`, value: r(p.maintenance, 1), unit: 'ms', recordings: n, ref: measured('a bare readdirSync of the same audio directory (the sweep must see every file), same run', r(p.bareReaddir, 1)), ratio: r(p.maintenance / p.bareReaddir), growthVsSmallest: r(p.maintenance / base.maintenance), note: 'background: resume interrupted deletions + orphan sweep (streams the audio dir; linear, off the open path)' });
  }
  return out;
}
