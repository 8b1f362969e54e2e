import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAllBenchmarks } from '../../bench/run-all.ts';
import { ensureBuilt } from '../../bench/ensure-built.ts';
import { checkFigures, measured, stated, type BenchModule } from '../../bench/types.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/suites/', import.meta.url));

async function runBench(argv: string[], dir?: string): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  let out = '';
  const code = await runAllBenchmarks([...argv, '--json'], { ...(dir ? { dir } : {}), write: (s) => (out += s) });
  return { code, lines: out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('every bench figure names a fair reference (issue #19)', () => {
  it('checkFigures accepts measured and target references and names every figure without one', () => {
    expect(checkFigures([{ name: 'a', value: 1, unit: 'ms', ref: measured('bare', 1) }, { name: 'b', value: 0, unit: 'B', ref: stated('none', 0) }])).toEqual([]);
    const problems = checkFigures([
      { name: 'missing', value: 1, unit: 'ms' },
      { name: 'numeric', value: 1, unit: 'ms', ref: 3 },
      { name: 'unnamed', value: 1, unit: 'ms', ref: { kind: 'measured', name: ' ', value: 1 } },
      { name: 'nan', value: 1, unit: 'ms', ref: { kind: 'measured', name: 'x', value: NaN } },
      { name: 'kind', value: 1, unit: 'ms', ref: { kind: 'guess', name: 'x', value: 1 } },
      { name: 'novalue', unit: 'ms', ref: measured('x', 1) },
    ]);
    expect(problems).toEqual([
      'missing: no reference',
      'numeric: no reference',
      'unnamed: reference has no name',
      'nan: reference value is not a finite number',
      "kind: reference kind must be 'measured' or 'target'",
      'novalue: value is not a number',
    ]);
  });

  it('npm run bench fails with BENCH_FIGURE_WITHOUT_REF when a suite produces a figure without one', async () => {
    const { code, lines } = await runBench([], FIXTURES);
    expect(code).toBe(1);
    const error = lines.find((l) => l.name === 'fixture-unreferenced.error')!;
    expect(error.code).toBe('BENCH_FIGURE_WITHOUT_REF');
    expect(error.error).toMatch(/fixture\.no_ref: no reference; fixture\.numeric_ref: no reference$/);
    expect(lines.find((l) => l.name === 'fixture-referenced.error')).toBeUndefined();
    const ok = await runBench(['--only', 'fixture-referenced'], FIXTURES);
    expect(ok.code).toBe(0);
  });

  // The real figure-producing code of the suites that run in seconds; the others are held
  // to the same check by run-all on every `npm run bench` (and by the type: `ref` is required).
  it.each(['gate', 'wyoming', 'wake-engines'])('the %s suite: every figure it produces has a reference', async (suite) => {
    const mod = (await import(`../../bench/${suite}.bench.ts`)) as BenchModule;
    const figures = await mod.run({ quick: true });
    expect(figures.length).toBeGreaterThan(0);
    expect(checkFigures(figures)).toEqual([]);
  }, 120_000);
});

describe('suites that need built artefacts', () => {
  it('builds nothing when no suite needs it', () => {
    expect(() => ensureBuilt(new Set(), { ui: { args: ['-e', 'process.exit(9)'], present: () => false }, dist: { args: ['-e', 'process.exit(9)'], present: () => false } })).not.toThrow();
  });

  it('runs the build, and fails with BENCH_UI_NOT_BUILT when the build fails or leaves the bundle missing', () => {
    const ok = { args: ['-e', ''], present: () => true };
    expect(() => ensureBuilt(new Set(['ui']), { ui: ok, dist: ok })).not.toThrow();
    const failing = { args: ['-e', 'process.exit(3)'], present: () => true };
    expect(() => ensureBuilt(new Set(['ui']), { ui: failing, dist: ok })).toThrow(expect.objectContaining({ code: 'BENCH_UI_NOT_BUILT' }));
    const leavesNothing = { args: ['-e', ''], present: () => false };
    expect(() => ensureBuilt(new Set(['dist', 'ui']), { ui: ok, dist: leavesNothing })).toThrow(expect.objectContaining({ code: 'BENCH_UI_NOT_BUILT' }));
  });

  it('display, e2e and start declare what they need', async () => {
    for (const [suite, need] of [['display', 'ui'], ['e2e', 'ui'], ['start', 'dist']] as const) {
      const mod = (await import(`../../bench/${suite}.bench.ts`)) as BenchModule;
      expect(mod.needs).toContain(need);
    }
  });
});
