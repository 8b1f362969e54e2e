import { HistoryStore } from '../src/history/history-store.ts';
import { populateRecordings } from '../test/support/history-fixture.ts';
import { summarize, type BenchResult } from './types.ts';

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
  const point: SizePoint = {
    open,
    maintenance,
    newest: await timedRepeat(reps * 4, () => store.listRecordings({ limit: 50 })),
    deepestKeyset: await timedRepeat(reps * 4, () => store.listRecordings({ limit: 50, after: last })),
    deepestOffset: await timedRepeat(reps * 4, () => store.listRecordings({ limit: 50, offset: count - 50 })),
  };
  if (store.listRecordings({ limit: 50, after: last }).length !== 50) throw new Error('keyset page is not full');
  await store.close();
  return point;
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
    const line = (what: string, v: { p50: number; p99: number }, b: { p50: number; p99: number }, targeted: boolean, extra: object = {}) => {
      const ratio = v.p50 / b.p50;
      out.push({
        name: `history.${what}.${label}_ms`, value: r(v.p50), unit: 'ms', p99: r(v.p99), recordings: n,
        ref: r(b.p50), ratio: r(ratio), p99Ratio: r(v.p99 / b.p99), refName: `same figure at ${sizes[0]! / 1000}k, same run`,
        ...(targeted && n === biggest ? { target: `<= ${GROWTH_TARGET}`, met: ratio <= GROWTH_TARGET } : {}), ...extra,
      });
    };
    line('open', p.open, base.open, true);
    line('page_newest', p.newest, base.newest, true);
    line('page_deepest_keyset', p.deepestKeyset, base.deepestKeyset, true);
    line('page_deepest_offset', p.deepestOffset, base.deepestOffset, false, { note: 'OFFSET paging (the old way), for reference' });
    out.push({ name: `history.maintenance_after_open.${label}_ms`, value: r(p.maintenance, 1), unit: 'ms', recordings: n, ref: r(base.maintenance, 1), ratio: r(p.maintenance / base.maintenance), note: 'background: resume interrupted deletions + orphan sweep (streams the audio dir; linear, off the open path)' });
  }
  return out;
}
