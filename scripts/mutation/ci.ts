// `tsx scripts/mutation/ci.ts [--update]` — the CI mutation check (docs/mutation.md).
//
// Every file with a floor in mutation/floors.json must score at least that floor. When the
// committed baseline (mutation/baseline.json) still describes a file — its source and the
// tests that cover it are unchanged — its recorded score is used and Stryker does not run
// (the no-change case costs well under a second). Files whose entry is stale are re-tested
// with Stryker's incremental mode, starting from a copy of the baseline, so only mutants in
// changed code (or covered by changed tests) run again. `--update` writes the new results
// back to mutation/baseline.json (commit it, so the next CI run is cheap again).
// MUTATION_CI_STALE=fail fails on a stale entry instead of running Stryker;
// MUTATION_CI_BUDGET_S (default 1500) caps Stryker's wall time; MUTATION_CONCURRENCY (2).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkFloor, scoreOf, staleReasons, survivors, type MutationReport } from './baseline-check.ts';

const BASELINE = 'mutation/baseline.json';
const FLOORS = 'mutation/floors.json';

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function readSource(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** Seconds Stryker may take before the check gives up (CI's whole run must stay under 45 min). */
const BUDGET_S = Number(process.env.MUTATION_CI_BUDGET_S ?? 1500);

/** Re-tests `files` incrementally from a copy of the baseline; resolves to the new incremental report's path. */
async function runStryker(files: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-mutation-'));
  const inc = join(dir, 'incremental.json');
  copyFileSync(BASELINE, inc);
  const started = Date.now();
  // Its own process group, so the budget can stop Stryker's runner and checker processes too.
  const child = spawn('npx', ['stryker', 'run', 'scripts/mutation/stryker.ci.config.mjs'], {
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, MUTATION_MUTATE: files.join(','), MUTATION_INCREMENTAL_FILE: inc, MUTATION_JSON_FILE: join(dir, 'report.json') },
  });
  let overBudget = false;
  const stop = () => process.kill(-child.pid!, 'SIGTERM');
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const timer = setTimeout(() => {
    overBudget = true;
    stop();
  }, BUDGET_S * 1000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  process.off('SIGINT', stop).off('SIGTERM', stop);
  console.log(`mutation: Stryker took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (overBudget) {
    console.error(`mutation MUTATION_CI_OVER_BUDGET: re-testing ${files.join(', ')} took over ${BUDGET_S} s; run \`npm run test:mutation:ci -- --update\` locally and commit mutation/baseline.json`);
    process.exit(1);
  }
  if (code !== 0) {
    console.error(`mutation MUTATION_STRYKER_FAILED: stryker exited with ${code}`);
    process.exit(1);
  }
  return inc;
}

async function main(): Promise<void> {
  const started = Date.now();
  const update = process.argv.includes('--update');
  const config = (await import(pathToFileURL(join(process.cwd(), 'stryker.config.mjs')).href)).default as { mutate: string[] };
  const floors = readJson<Record<string, number>>(FLOORS);
  let report = readJson<MutationReport>(BASELINE);

  const unknown = Object.keys(floors).filter((f) => !config.mutate.includes(f));
  if (unknown.length > 0) {
    console.error(`mutation MUTATION_FLOOR_UNKNOWN_FILE: ${unknown.join(', ')} ha${unknown.length > 1 ? 've' : 's'} a floor but is not in stryker.config.mjs's mutate list`);
    process.exit(1);
  }
  const unmeasured = config.mutate.filter((f) => !(f in floors));
  if (unmeasured.length > 0) console.log(`mutation: no floor yet (not checked): ${unmeasured.join(', ')}`);

  const stale = new Map<string, string[]>();
  for (const file of Object.keys(floors)) {
    const reasons = staleReasons(file, report, readSource);
    if (reasons.length > 0) stale.set(file, reasons);
  }
  if (stale.size > 0) {
    for (const [file, reasons] of stale) console.log(`mutation: baseline for ${file} is out of date: ${reasons.join('; ')}`);
    if (process.env.MUTATION_CI_STALE === 'fail') {
      console.error('mutation MUTATION_BASELINE_STALE: run `npm run test:mutation:ci -- --update` and commit mutation/baseline.json');
      process.exit(1);
    }
    const fresh = await runStryker([...stale.keys()]);
    report = readJson<MutationReport>(fresh);
    if (update) {
      copyFileSync(fresh, BASELINE);
      console.log(`mutation: ${BASELINE} updated`);
    } else {
      console.log('mutation: to make the next run cheap, run `npm run test:mutation:ci -- --update` and commit mutation/baseline.json');
    }
  }

  let failed = 0;
  for (const [file, floor] of Object.entries(floors)) {
    const entry = report.files[file];
    const s = scoreOf(file, entry?.mutants ?? []);
    const v = checkFloor(s, floor);
    const shown = s.score === null ? 'n/a' : `${s.score.toFixed(1)} %`;
    const source = stale.has(file) ? 're-tested' : 'baseline';
    console.log(`mutation: ${v.ok ? 'ok  ' : 'FAIL'} ${file}: ${shown} (floor ${floor} %; ${s.killed} killed, ${s.timeout} timeout, ${s.survived} survived, ${s.noCoverage} no coverage; ${source})`);
    if (!v.ok) {
      failed++;
      for (const line of survivors(entry?.mutants ?? [])) console.log(`mutation:        survivor ${line}`);
    }
  }
  console.log(`mutation: ${Object.keys(floors).length - failed} of ${Object.keys(floors).length} files at or above their floor, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failed > 0) {
    console.error(`mutation MUTATION_SCORE_BELOW_FLOOR: ${failed} file(s) below their floor (kill the survivors, or list them in docs/mutation.md as equivalent and lower the floor in ${FLOORS})`);
    process.exit(1);
  }
}

await main();
