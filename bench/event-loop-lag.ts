import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** CPU ms the main thread alone has used (Linux: /proc/self/task/PID/stat utime + stime), or null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/**
 * Event-loop lag while `work` runs: Node's own delay histogram (a 1 ms timer; each sample
 * is how late it fired). A synchronous loop shows up as one huge sample per stall, so the
 * maximum is reported beside the p99. Also the CPU time of the main thread alone during
 * the work: a lag with little main-thread CPU is time the thread waited to be scheduled.
 */
export async function withLagMonitor<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number; mainCpuMs: number | null; lag: { p50: number; p99: number; max: number; samples: number } }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  // The monitor's first tick only sets its baseline: let it start before the work does.
  await new Promise((r) => setTimeout(r, 5));
  const cpu0 = mainThreadCpuMs();
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  const cpu1 = mainThreadCpuMs();
  // Let the monitor's timer fire once more, so a stall at the very end is recorded.
  await new Promise((r) => setTimeout(r, 3));
  h.disable();
  const toMs = (ns: number) => Math.round(ns / 1e4) / 100;
  return { value, ms, mainCpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, lag: { p50: toMs(h.percentile(50)), p99: toMs(h.percentile(99)), max: toMs(h.max), samples: h.count } };
}
