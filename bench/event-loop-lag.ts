import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Event-loop lag while `work` runs: Node's own delay histogram (a 1 ms timer; each sample
 * is how late it fired). A synchronous loop shows up as one huge sample per stall, so the
 * maximum is reported beside the p99.
 */
export async function withLagMonitor<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number; lag: { p50: number; p99: number; max: number; samples: number } }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  // The monitor's first tick only sets its baseline: let it start before the work does.
  await new Promise((r) => setTimeout(r, 5));
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  // Let the monitor's timer fire once more, so a stall at the very end is recorded.
  await new Promise((r) => setTimeout(r, 3));
  h.disable();
  const toMs = (ns: number) => Math.round(ns / 1e4) / 100;
  return { value, ms, lag: { p50: toMs(h.percentile(50)), p99: toMs(h.percentile(99)), max: toMs(h.max), samples: h.count } };
}
