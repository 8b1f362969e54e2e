import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { BenchModule } from './types.ts';

/**
 * Runs every bench/*.bench.ts and prints one JSON object per line.
 * `npm run bench -- --only NAME` runs suites whose name contains NAME;
 * `--quick` shrinks every suite (used by the smoke test); `--full` adds the slowest sizes.
 */
export async function runAllBenchmarks(argv: string[]): Promise<number> {
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? argv[onlyIdx + 1] : undefined;
  const quick = argv.includes('--quick');
  const full = argv.includes('--full') && !quick;
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
  let failed = 0;
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
    if (only && !mod.suite.includes(only) && !file.includes(only)) continue;
    try {
      for (const result of await mod.run({ quick, full })) process.stdout.write(JSON.stringify(result) + '\n');
    } catch (e) {
      failed++;
      process.stdout.write(JSON.stringify({ name: `${mod.suite}.error`, error: (e as Error).message }) + '\n');
    }
  }
  return failed ? 1 : 0;
}
