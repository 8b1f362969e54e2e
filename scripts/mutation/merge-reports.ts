// `tsx scripts/mutation/merge-reports.ts OUT IN1[=FILE,FILE…] IN2 …` — merges Stryker
// incremental reports of separate runs (e.g. two subsets of the mutate list run side by side)
// into one baseline. A later input's entry for a source file replaces an earlier one's;
// `IN=FILE,…` takes only those source files from IN (a run started from a copy of the
// baseline also carries the baseline's other files, maybe older than another input's). Test
// ids are per run, so tests are re-keyed by (test file, test name) and every mutant's
// coveredBy / killedBy is rewritten to the merged ids. A test file's recorded source is its
// current text when any input ran against that text (the runs may have seen it at different
// commits; the last input's is kept otherwise, and a stale one makes CI re-test).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { MutationReport } from './baseline-check.ts';

type TestEntry = MutationReport extends { testFiles?: Record<string, { tests: (infer T)[] }> } ? T : never;

export function mergeReports(reports: MutationReport[]): MutationReport {
  const idByKey = new Map<string, string>();
  const testFiles: NonNullable<MutationReport['testFiles']> = {};
  const files: MutationReport['files'] = {};
  const keyOf = (file: string, name: string) => JSON.stringify([file, name]);
  for (const report of reports) {
    const remap = new Map<string, string>();
    for (const [file, tf] of Object.entries(report.testFiles ?? {})) {
      const merged = (testFiles[file] ??= { tests: [] });
      if (tf.source !== undefined) merged.source = tf.source;
      for (const t of tf.tests) {
        const key = keyOf(file, t.name);
        let id = idByKey.get(key);
        if (id === undefined) {
          id = String(idByKey.size);
          idByKey.set(key, id);
          merged.tests.push({ ...t, id } as TestEntry);
        } else {
          const at = merged.tests.findIndex((x) => x.id === id);
          merged.tests[at] = { ...t, id } as TestEntry;
        }
        remap.set(t.id, id);
      }
    }
    const ids = (list: string[] | undefined) => list?.map((id) => remap.get(id)).filter((id): id is string => id !== undefined);
    for (const [file, entry] of Object.entries(report.files)) {
      files[file] = {
        ...entry,
        mutants: entry.mutants.map((m) => {
          const out = { ...m };
          const coveredBy = ids(m.coveredBy);
          const killedBy = ids(m.killedBy);
          if (coveredBy) out.coveredBy = coveredBy;
          if (killedBy) out.killedBy = killedBy;
          return out;
        }),
      };
    }
  }
  const last = reports[reports.length - 1] ?? { files: {} };
  return { ...last, files, testFiles };
}

/** `report` with only the source files in `files` (its tests are kept: they are how mutants name their tests). */
export function onlyFiles(report: MutationReport, files: readonly string[]): MutationReport {
  const missing = files.filter((f) => !(f in report.files));
  if (missing.length > 0) throw new Error(`MERGE_FILE_NOT_IN_REPORT: ${missing.join(', ')}`);
  return { ...report, files: Object.fromEntries(Object.entries(report.files).filter(([f]) => files.includes(f))) };
}

/** Records each test file's current text in `merged` where some input ran against that text. */
export function preferCurrentTestSources(merged: MutationReport, inputs: readonly MutationReport[], readSource: (path: string) => string | null): void {
  for (const [tf, entry] of Object.entries(merged.testFiles ?? {})) {
    const current = readSource(tf);
    if (current !== null && inputs.some((r) => r.testFiles?.[tf]?.source === current)) entry.source = current;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [out, ...inputs] = process.argv.slice(2);
  if (!out || inputs.length === 0) {
    console.error('usage: tsx scripts/mutation/merge-reports.ts OUT IN1[=FILE,FILE…] [IN2 …]');
    process.exit(2);
  }
  const reports = inputs.map((spec) => {
    const [path, files] = spec.split('=') as [string, string | undefined];
    const report = JSON.parse(readFileSync(path, 'utf8')) as MutationReport;
    return files ? onlyFiles(report, files.split(',')) : report;
  });
  const merged = mergeReports(reports);
  preferCurrentTestSources(merged, reports, (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null));
  writeFileSync(out, JSON.stringify(merged, null, 2) + '\n');
  console.log(`merged ${inputs.length} reports: ${Object.keys(merged.files).length} files, ${Object.values(merged.testFiles ?? {}).reduce((n, t) => n + t.tests.length, 0)} tests → ${out}`);
}
