import { isBenchError, type BenchLine, type BenchResult } from './types.ts';

/**
 * The table `npm run bench` prints after its JSON lines: figure, value, reference, ratio,
 * target, met / not met. A target is written where the figure is made (`target: '<= 0.05'`
 * in the bench) and is checked against the ratio when the figure has one, else the value.
 */
export type Verdict = 'met' | 'not met' | '';

export function checkTarget(r: BenchResult): Verdict {
  // The bench's own verdict wins: it knows what its target is about.
  if (typeof r.met === 'boolean') return r.met ? 'met' : 'not met';
  if (typeof r.target !== 'string' || typeof r.value !== 'number') return '';
  const m = /^\s*(ratio|value)?\s*(<=|>=|<|>|=)?\s*(-?[\d.]+(?:e-?\d+)?)\s*$/.exec(r.target);
  if (!m) return '';
  const limit = Number(m[3]);
  const x = m[1] === 'value' ? r.value : typeof r.ratio === 'number' ? r.ratio : r.value;
  switch (m[2] ?? '=') {
    case '<=': return x <= limit ? 'met' : 'not met';
    case '>=': return x >= limit ? 'met' : 'not met';
    case '<': return x < limit ? 'met' : 'not met';
    case '>': return x > limit ? 'met' : 'not met';
    default: return x === limit ? 'met' : 'not met';
  }
}

function num(x: unknown): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '';
  if (x === 0 || Math.abs(x) >= 100) return String(Math.round(x));
  return Number(x.toPrecision(3)).toString();
}

/** The reference cell: its value, and "(target)" when it is a stated target, not a measurement. */
function refCell(r: BenchResult): string {
  const v = num(r.ref?.value);
  return r.ref?.kind === 'target' ? `${v} (target)` : v;
}

export function formatBenchTable(results: BenchLine[]): string {
  const header = ['figure', 'value', 'reference', 'ratio', 'target', 'met'];
  const rows = results.map((r) =>
    isBenchError(r)
      ? [r.name, 'ERROR', '', '', '', `${r.code ? `${r.code}: ` : ''}${r.error}`.slice(0, 80)]
      : [r.name, `${num(r.value)} ${r.unit ?? ''}`.trim(), refCell(r), num(r.ratio), typeof r.target === 'string' ? r.target : '', checkTarget(r)],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const met = rows.filter((r) => r[5] === 'met').length;
  const notMet = rows.filter((r) => r[5] === 'not met').length;
  const issueTargets = results.filter((r): r is BenchResult => !isBenchError(r) && typeof r.issueTarget === 'string');
  const goals = issueTargets.length
    ? ['', 'issue targets:', ...issueTargets.map((r) => `- ${r.issueTarget}: ${r.name} ${num(r.value)} ${r.unit}${typeof r.ratio === 'number' ? ` (ratio ${num(r.ratio)})` : ''} → ${checkTarget(r) || 'no verdict'}`)]
    : [];
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ...goals, '', `${results.length} figures; targets: ${met} met, ${notMet} not met`].join('\n');
}
