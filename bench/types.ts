/**
 * What a figure is compared with. Every figure has one (the type requires it, and
 * `checkFigures` refuses a run where one is missing at run time):
 * - `measured`: a fair reference measured in the same run (a bare equivalent operation,
 *   the peer on the same input, the same figure at the smallest size ...);
 * - `target`: a stated goal, for a figure whose fair comparison is not another
 *   measurement but a number it must reach (0 bytes to a rogue client, 0 self-wakes,
 *   an 80 ms frame budget ...). `name` says where the number comes from.
 */
export type BenchRef =
  | { kind: 'measured'; name: string; value: number }
  | { kind: 'target'; name: string; value: number };

/** A reference measured in this run. */
export function measured(name: string, value: number): BenchRef {
  return { kind: 'measured', name, value };
}

/** A stated target (or budget) the figure is compared with. */
export function stated(name: string, value: number): BenchRef {
  return { kind: 'target', name, value };
}

/** One benchmark figure: printed as one JSON line by `npm run bench`. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The fair reference: measured in the same run, or a stated target. Never absent. */
  ref: BenchRef;
  /** value / ref.value (when ref.value is not 0). */
  ratio?: number;
  /** The goal for this figure (e.g. "<= 20"), and whether this run met it. */
  target?: string;
  met?: boolean;
  [extra: string]: unknown;
}

/** A suite that threw: one line in place of its figures, and the run exits 1. */
export interface BenchError {
  name: string;
  error: string;
  code?: string;
}

export type BenchLine = BenchResult | BenchError;

export const isBenchError = (l: BenchLine): l is BenchError => typeof (l as BenchError).error === 'string';

/** What a suite needs built before it runs: the screen bundle (ui/dist), the production build (dist/). */
export type BenchNeed = 'ui' | 'dist';

export interface BenchModule {
  /** Human name of the suite (for --only filtering). */
  suite: string;
  /** Built artefacts the suite loads; `npm run bench` builds what is missing first. */
  needs?: readonly BenchNeed[];
  /** quick: CI-size smoke run; full: also the slowest sizes (e.g. deleting 100k recordings). */
  run(opts: { quick: boolean; full?: boolean }): Promise<BenchResult[]>;
}

/**
 * Problems with a run's figures: one message per figure without a usable reference
 * (missing, not a finite number, unnamed, unknown kind) or without a numeric value.
 * Runs on whatever JSON a suite produced, so a cast or a spread cannot slip one past.
 */
export function checkFigures(results: readonly unknown[]): string[] {
  const problems: string[] = [];
  for (const r of results) {
    const f = r as Partial<BenchResult> | null;
    const name = typeof f?.name === 'string' ? f.name : JSON.stringify(f)?.slice(0, 60);
    if (!f || typeof f.name !== 'string' || !f.name) {
      problems.push(`${name}: no name`);
      continue;
    }
    if (typeof f.value !== 'number' || Number.isNaN(f.value)) problems.push(`${name}: value is not a number`);
    const ref = f.ref as Partial<BenchRef> | undefined;
    if (!ref || typeof ref !== 'object') {
      problems.push(`${name}: no reference`);
      continue;
    }
    if (ref.kind !== 'measured' && ref.kind !== 'target') problems.push(`${name}: reference kind must be 'measured' or 'target'`);
    if (typeof ref.name !== 'string' || !ref.name.trim()) problems.push(`${name}: reference has no name`);
    if (typeof ref.value !== 'number' || !Number.isFinite(ref.value)) problems.push(`${name}: reference value is not a finite number`);
  }
  return problems;
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
