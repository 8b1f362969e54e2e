/** One benchmark figure: printed as one JSON line by `npm run bench`. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The reference measured in the same run, when the figure is a comparison. */
  ref?: number;
  /** value / ref. */
  ratio?: number;
  /** What `ref` is, when the name does not say it. */
  refName?: string;
  /** The goal for this figure (e.g. "<= 20"), and whether this run met it. */
  target?: string;
  met?: boolean;
  [extra: string]: unknown;
}

export interface BenchModule {
  /** Human name of the suite (for --only filtering). */
  suite: string;
  /** quick: CI-size smoke run; full: also the slowest sizes (e.g. deleting 100k recordings). */
  run(opts: { quick: boolean; full?: boolean }): Promise<BenchResult[]>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samples: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}
