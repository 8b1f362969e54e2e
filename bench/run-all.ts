import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { checkFigures, type BenchLine, type BenchModule, type BenchNeed } from './types.ts';
import { formatBenchTable } from './report-table.ts';
import { ensureBuilt } from './ensure-built.ts';
import { startProgress } from '../src/cli/progress.ts';

/**
 * Runs every bench/*.bench.ts and prints one JSON object per line.
 * `npm run bench -- --only NAME` runs suites whose name contains NAME;
 * `--quick` shrinks every suite (used by the smoke test); `--full` adds the slowest sizes.
 * A human-readable table follows the JSON lines unless `--json` (JSON only); progress,
 * suite by suite, goes to stderr. Suites that need the screen bundle or the production
 * build get it built first. A suite whose figures lack a reference (`checkFigures`) fails
 * with BENCH_FIGURE_WITHOUT_REF: its figures are still printed, the run exits 1.
 */
export async function runAllBenchmarks(argv: string[], io: { dir?: string; write?: (s: string) => void } = {}): Promise<number> {
  const write = io.write ?? ((s: string) => void process.stdout.write(s));
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? argv[onlyIdx + 1] : undefined;
  const quick = argv.includes('--quick');
  const full = argv.includes('--full') && !quick;
  const dir = io.dir ?? dirname(fileURLToPath(import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const jsonOnly = argv.includes('--json');
  const mods: { mod: BenchModule; file: string }[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
    if (!only || mod.suite.includes(only) || file.includes(only)) mods.push({ mod, file });
  }
  let failed = 0;
  const all: BenchLine[] = [];
  const emit = (r: BenchLine) => {
    all.push(r);
    write(JSON.stringify(r) + '\n');
  };
  const needs = new Set<BenchNeed>(mods.flatMap(({ mod }) => mod.needs ?? []));
  let buildError: Error | null = null;
  try {
    ensureBuilt(needs);
  } catch (e) {
    buildError = e as Error;
  }
  const progress = startProgress('bench', mods.length);
  for (const { mod } of mods) {
    try {
      if (buildError && mod.needs?.length) throw buildError;
      const results = await mod.run({ quick, full });
      for (const result of results) emit(result);
      const problems = checkFigures(results);
      if (problems.length) {
        failed++;
        emit({ name: `${mod.suite}.error`, code: 'BENCH_FIGURE_WITHOUT_REF', error: `figures without a fair reference: ${problems.join('; ')}` });
      }
    } catch (e) {
      failed++;
      emit({ name: `${mod.suite}.error`, error: (e as Error).message, ...((e as { code?: string }).code ? { code: (e as { code: string }).code } : {}) });
    }
    progress.tick(mod.suite);
  }
  progress.done();
  if (!jsonOnly) write('\n' + formatBenchTable(all) + '\n');
  return failed ? 1 : 0;
}
