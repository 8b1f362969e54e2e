import { closeSync, fsyncSync, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { HistoryStore } from '../src/history/history-store.ts';
import { populateRecordings } from '../test/support/history-fixture.ts';
import { withLagMonitor } from './event-loop-lag.ts';
import { startMuteProbe } from './mute-probe.ts';
import { measured, summarize, type BenchResult } from './types.ts';

const LAG_TARGET_MS = 20;
/** "Mute during a delete as fast as without": p99 within this factor of the same presses with no deletion (p99 of a few dozen presses is noisy). */
const MUTE_RATIO_TARGET = 1.5;
/** A mute press (and unmute) every this many ms while measuring: a busy owner, not a busy loop. */
const PRESS_EVERY_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The reference: the plainest physical delete — unlinkSync each file, one fsync of the directory. */
function bareUnlinkLoop(dir: string): number {
  const names = readdirSync(dir);
  for (const n of names) unlinkSync(join(dir, n));
  const fd = openSync(dir, 'r');
  fsyncSync(fd);
  closeSync(fd);
  return names.length;
}

/**
 * Delete-all of `count` synced recordings through the store (rows, files, WAL checkpoint,
 * verification), with the event-loop lag during it and mute presses served meanwhile;
 * against, in the same run, a bare unlink loop over an identical synced fixture.
 */
export async function benchDeleteAll(root: string, count: number): Promise<BenchResult[]> {
  const label = count >= 1000 ? `${count / 1000}k` : String(count);
  const refDir = mkdtempSync(join(root, 'ref-'));
  const ref = HistoryStore.open({ dataDir: refDir });
  await ref.whenIdle();
  populateRecordings(ref, count);
  await ref.close();
  const bare = await withLagMonitor(() => bareUnlinkLoop(join(refDir, 'audio')));
  rmSync(refDir, { recursive: true, force: true });

  const store = HistoryStore.open({ dataDir: mkdtempSync(join(root, 'del-')) });
  await store.whenIdle();
  populateRecordings(store, count);
  const probe = await startMuteProbe();
  // Reference: the same device pressing mute at the same pace, no deletion running.
  const idleMute: number[] = [];
  const idleRun = await withLagMonitor(async () => {
    const until = performance.now() + 3000;
    while (performance.now() < until) (idleMute.push(await probe.once()), await sleep(PRESS_EVERY_MS));
  });
  const duringMute: number[] = [];
  let finished = false;
  const run = await withLagMonitor(async () => {
    const deletion = store.deleteAll().finally(() => (finished = true));
    while (!finished) (duringMute.push(await probe.once()), await sleep(PRESS_EVERY_MS));
    return deletion;
  });
  await probe.stop();
  await store.close();
  if (run.value.recordings !== count || run.value.audioFiles !== count || !run.value.verified) {
    throw new Error(`delete-all removed ${run.value.recordings}/${count} rows, ${run.value.audioFiles} files`);
  }
  const perFile = run.ms / count;
  const barePerFile = bare.ms / bare.value;
  const idle = summarize(idleMute);
  const during = summarize(duringMute);
  const r = (v: number, d = 3) => Number(v.toFixed(d));
  const muteRatio = during.p99 / idle.p99;
  return [
    { name: `history.delete_all_${label}_synced_ms`, value: r(run.ms, 1), unit: 'ms', recordings: count, ref: measured('bare unlinkSync loop + one dir fsync, same synced fixture, same run', r(bare.ms, 1)), ratio: r(run.ms / bare.ms), perFileMs: r(perFile, 4), refPerFileMs: r(barePerFile, 4) },
    {
      name: `history.delete_all_${label}.event_loop_lag_p99_ms`, value: run.lag.p99, unit: 'ms', lagP50: run.lag.p50, lagMax: run.lag.max, samples: run.lag.samples,
      ref: measured('same process and mute presses, no deletion running, p99', idleRun.lag.p99), ratio: r(run.lag.p99 / idleRun.lag.p99), refMax: idleRun.lag.max,
      oldSyncLoopLagP99: bare.lag.p99, oldSyncLoopLagMax: bare.lag.max, target: `<= ${LAG_TARGET_MS}`, met: run.lag.p99 <= LAG_TARGET_MS,
      addedOverIdleP99: r(run.lag.p99 - idleRun.lag.p99, 2), mainThreadCpuMs: run.mainCpuMs, mainThreadCpuShare: run.mainCpuMs === null ? null : r(run.mainCpuMs / run.ms),
      idleMainThreadCpuShare: idleRun.mainCpuMs === null ? null : r(idleRun.mainCpuMs / idleRun.ms), loadAverage1m: r(loadavg()[0]!, 2), cores: availableParallelism(),
      issueTarget: `#19 event-loop lag p99 during a ${label} delete <= ${LAG_TARGET_MS} ms`,
    },
    {
      name: `history.delete_all_${label}.mute_to_abort_p99_ms`, value: r(during.p99), unit: 'ms', p50: r(during.p50), presses: duringMute.length,
      ref: measured('mute press → relay open + stream aborted on the same device, no deletion running, p99', r(idle.p99)), refP50: r(idle.p50), ratio: r(muteRatio), p50Ratio: r(during.p50 / idle.p50),
      target: `ratio <= ${MUTE_RATIO_TARGET}`, met: muteRatio <= MUTE_RATIO_TARGET, issueTarget: `#19 mute during a ${label} delete as fast as without`,
    },
  ];
}
