import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchModule, BenchResult } from './types.ts';
import { formatBenchTable } from './report-table.ts';
import { startProgress } from '../src/cli/progress.ts';

/**
 * Runs every bench/*.bench.ts and prints one JSON object per line.
 * `npm run bench -- --only NAME` runs suites whose name contains NAME;
 * `--quick` shrinks every suite (used by the smoke test); `--full` adds the slowest sizes.
 * A human-readable table follows the JSON lines unless `--json` (JSON only); progress,
 * suite by suite, goes to stderr.
 */
export async function runAllBenchmarks(argv: string[]): Promise<number> {
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? argv[onlyIdx + 1] : undefined;
  const quick = argv.includes('--quick');
  const full = argv.includes('--full') && !quick;
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const jsonOnly = argv.includes('--json');
  const mods: { mod: BenchModule; file: string }[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
    if (!only || mod.suite.includes(only) || file.includes(only)) mods.push({ mod, file });
  }
  let failed = 0;
  const all: BenchResult[] = [];
  const emit = (r: BenchResult) => {
    all.push(r);
    process.stdout.write(JSON.stringify(r) + '\n');
  };
  const progress = startProgress('bench', mods.length);
  for (const { mod } of mods) {
    try {
      for (const result of await mod.run({ quick, full })) emit(result);
    } catch (e) {
      failed++;
      emit({ name: `${mod.suite}.error`, error: (e as Error).message } as unknown as BenchResult);
    }
    progress.tick(mod.suite);
  }
  progress.done();
  if (!jsonOnly) process.stdout.write('\n' + formatBenchTable(all) + '\n');
  return failed ? 1 : 0;
}
