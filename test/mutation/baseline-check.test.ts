import { describe, expect, it } from 'vitest';
import { checkFloor, scoreOf, staleReasons, survivors, type MutationReport, type ReportMutant } from '../../scripts/mutation/baseline-check.ts';

const m = (id: string, status: string, coveredBy: string[] = [], killedBy: string[] = []): ReportMutant => ({
  id,
  status,
  mutatorName: 'ConditionalExpression',
  replacement: 'true',
  location: { start: { line: Number(id), column: 3 } },
  coveredBy,
  killedBy,
});

const report = (): MutationReport => ({
  files: {
    'src/a.ts': { source: 'export const a = 1;\n', mutants: [m('1', 'Killed', ['t1', 't2'], ['t1']), m('2', 'Survived', ['t2'])] },
    'src/b.ts': { source: 'export const b = 2;\n', mutants: [m('3', 'Killed', ['t3'], ['t3'])] },
  },
  testFiles: {
    'test/a.test.ts': { source: 'a tests', tests: [{ id: 't1', name: 'a1' }] },
    'test/shared.test.ts': { source: 'shared tests', tests: [{ id: 't2', name: 's' }] },
    'test/b.test.ts': { source: 'b tests', tests: [{ id: 't3', name: 'b' }] },
  },
});

const disk = (overrides: Record<string, string | null> = {}) => {
  const r = report();
  const files: Record<string, string | null> = {};
  for (const [f, e] of Object.entries(r.files)) files[f] = e.source;
  for (const [f, e] of Object.entries(r.testFiles!)) files[f] = e.source ?? null;
  Object.assign(files, overrides);
  return (p: string) => files[p] ?? null;
};

describe('mutation baseline check', () => {
  it('a file whose source and covering tests are unchanged is current', () => {
    expect(staleReasons('src/a.ts', report(), disk())).toEqual([]);
  });

  it('a changed source makes only that file stale', () => {
    const read = disk({ 'src/a.ts': 'export const a = 2;\n' });
    expect(staleReasons('src/a.ts', report(), read)).toEqual(['src/a.ts changed']);
    expect(staleReasons('src/b.ts', report(), read)).toEqual([]);
  });

  it('a changed test file makes every file it covers stale, and only those', () => {
    const read = disk({ 'test/shared.test.ts': 'shared tests, weakened' });
    expect(staleReasons('src/a.ts', report(), read)).toEqual(['test/shared.test.ts changed']);
    expect(staleReasons('src/b.ts', report(), read)).toEqual([]);
  });

  it('a deleted test file, a test file recorded without source, or a missing entry is stale', () => {
    expect(staleReasons('src/b.ts', report(), disk({ 'test/b.test.ts': null }))).toEqual(['test/b.test.ts changed']);
    const r = report();
    delete r.testFiles!['test/b.test.ts']!.source;
    expect(staleReasons('src/b.ts', r, disk())).toEqual(['test/b.test.ts changed']);
    expect(staleReasons('src/c.ts', report(), disk())).toEqual(['no baseline entry']);
  });

  it('scores as Stryker does: timeouts count as killed, compile errors and ignored mutants do not count', () => {
    const s = scoreOf('f', [m('1', 'Killed'), m('2', 'Timeout'), m('3', 'Survived'), m('4', 'NoCoverage'), m('5', 'CompileError'), m('6', 'Ignored')]);
    expect(s).toMatchObject({ mutants: 6, killed: 1, timeout: 1, survived: 1, noCoverage: 1, invalid: 2, score: 50 });
    expect(scoreOf('f', [m('1', 'CompileError')]).score).toBeNull();
  });

  it('a score below its floor fails, at or above passes, no valid mutant fails', () => {
    const twoOfThree = scoreOf('f', [m('1', 'Killed'), m('2', 'Killed'), m('3', 'Survived')]); // 66.67 %
    expect(checkFloor(twoOfThree, 66.6).ok).toBe(true);
    expect(checkFloor(twoOfThree, 66.7).ok).toBe(false);
    expect(checkFloor(scoreOf('f', []), 0).ok).toBe(false);
  });

  it('lists survivors and uncovered mutants with their position', () => {
    expect(survivors([m('1', 'Killed'), m('7', 'Survived'), m('9', 'NoCoverage')])).toEqual([
      '7:3 ConditionalExpression → "true" (Survived)',
      '9:3 ConditionalExpression → "true" (NoCoverage)',
    ]);
  });
});

describe('merging the reports of separate runs', () => {
  it('re-keys tests by file and name, so each mutant still points at the tests that covered and killed it', async () => {
    const { mergeReports } = await import('../../scripts/mutation/merge-reports.ts');
    const a: MutationReport = {
      files: { 'src/a.ts': { source: 'a', mutants: [m('1', 'Killed', ['0', '1'], ['1'])] } },
      testFiles: { 'test/a.test.ts': { source: 'A', tests: [{ id: '0', name: 'first' }, { id: '1', name: 'second' }] } },
    };
    const b: MutationReport = {
      files: { 'src/b.ts': { source: 'b', mutants: [m('1', 'Survived', ['0', '5'])] } },
      testFiles: {
        'test/a.test.ts': { source: 'A', tests: [{ id: '0', name: 'second' }] },
        'test/b.test.ts': { source: 'B', tests: [{ id: '5', name: 'b only' }] },
      },
    };
    const merged = mergeReports([a, b]);
    const nameOf = (id: string) => Object.entries(merged.testFiles!).flatMap(([f, t]) => t.tests.filter((x) => x.id === id).map((x) => `${f}: ${x.name}`))[0];
    const [ma] = merged.files['src/a.ts']!.mutants;
    const [mb] = merged.files['src/b.ts']!.mutants;
    expect(ma!.killedBy!.map(nameOf)).toEqual(['test/a.test.ts: second']);
    expect(ma!.coveredBy!.map(nameOf)).toEqual(['test/a.test.ts: first', 'test/a.test.ts: second']);
    expect(mb!.coveredBy!.map(nameOf)).toEqual(['test/a.test.ts: second', 'test/b.test.ts: b only']);
    expect(merged.testFiles!['test/a.test.ts']!.tests).toHaveLength(2);
    expect(staleReasons('src/b.ts', merged, (p) => ({ 'src/b.ts': 'b', 'test/a.test.ts': 'A', 'test/b.test.ts': 'B' })[p] ?? null)).toEqual([]);
  });

  it('a later report’s entry for a file replaces the earlier one', async () => {
    const { mergeReports } = await import('../../scripts/mutation/merge-reports.ts');
    const old: MutationReport = { files: { 'src/a.ts': { source: 'old', mutants: [m('1', 'Survived')] } } };
    const fresh: MutationReport = { files: { 'src/a.ts': { source: 'new', mutants: [m('1', 'Killed')] } } };
    expect(mergeReports([old, fresh]).files['src/a.ts']).toMatchObject({ source: 'new', mutants: [{ status: 'Killed' }] });
  });

  it('IN=FILE takes only the named files from a run started from a copy of the baseline; an unknown name is refused', async () => {
    const { mergeReports, onlyFiles } = await import('../../scripts/mutation/merge-reports.ts');
    const baseline: MutationReport = { files: { 'src/a.ts': { source: 'a2', mutants: [m('1', 'Killed')] } } };
    const run: MutationReport = {
      files: { 'src/a.ts': { source: 'a1', mutants: [m('1', 'Survived')] }, 'src/b.ts': { source: 'b', mutants: [m('2', 'Killed')] } },
    };
    const merged = mergeReports([baseline, onlyFiles(run, ['src/b.ts'])]);
    expect(merged.files['src/a.ts']).toMatchObject({ source: 'a2' });
    expect(merged.files['src/b.ts']).toMatchObject({ source: 'b' });
    expect(() => onlyFiles(run, ['src/c.ts'])).toThrow('MERGE_FILE_NOT_IN_REPORT: src/c.ts');
  });

  it('a test file records its current text when any run saw it, else the last run’s', async () => {
    const { mergeReports, preferCurrentTestSources } = await import('../../scripts/mutation/merge-reports.ts');
    const t = (source: string): MutationReport => ({ files: {}, testFiles: { 'test/a.test.ts': { source, tests: [] }, 'test/b.test.ts': { source, tests: [] } } });
    const inputs = [t('now'), t('older')];
    const merged = mergeReports(inputs);
    preferCurrentTestSources(merged, inputs, (p) => ({ 'test/a.test.ts': 'now', 'test/b.test.ts': 'newest' })[p] ?? null);
    expect(merged.testFiles!['test/a.test.ts']!.source).toBe('now');
    expect(merged.testFiles!['test/b.test.ts']!.source).toBe('older');
  });
});
