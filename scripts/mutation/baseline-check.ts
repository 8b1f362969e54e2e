// What the committed mutation baseline (mutation/baseline.json, Stryker's incremental
// report) says about each privacy-critical file, and whether it still describes the code:
// a file's entry is current when its source and the source of every test file whose tests
// cover or killed its mutants are byte-identical to what the baseline recorded (the same
// inputs Stryker's incremental mode diffs). Pure: the caller reads the files.

/** Stryker's mutation-testing-report-schema, the parts used here. */
export interface MutationReport {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
  testFiles?: Record<string, { source?: string; tests: { id: string; name: string }[] }>;
}

export interface ReportMutant {
  id: string;
  status: string;
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number; column: number } };
  coveredBy?: string[];
  killedBy?: string[];
}

export interface FileScore {
  file: string;
  mutants: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** CompileError, RuntimeError and Ignored: not part of the score (as in Stryker). */
  invalid: number;
  /** (killed + timeout) / (killed + timeout + survived + noCoverage), percent; null with no valid mutant. */
  score: number | null;
}

/** The score as Stryker computes it. */
export function scoreOf(file: string, mutants: readonly ReportMutant[]): FileScore {
  const count = (...s: string[]) => mutants.filter((m) => s.includes(m.status)).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return {
    file,
    mutants: mutants.length,
    killed,
    timeout,
    survived,
    noCoverage,
    invalid: mutants.length - valid,
    score: valid === 0 ? null : ((killed + timeout) / valid) * 100,
  };
}

/** Why a file's baseline entry no longer describes the code, or [] when it does. */
export function staleReasons(
  file: string,
  report: MutationReport,
  readSource: (path: string) => string | null,
): string[] {
  const entry = report.files[file];
  if (!entry) return ['no baseline entry'];
  const reasons: string[] = [];
  if (readSource(file) !== entry.source) reasons.push(`${file} changed`);
  const testFileById = new Map<string, string>();
  for (const [testFile, t] of Object.entries(report.testFiles ?? {})) for (const test of t.tests) testFileById.set(test.id, testFile);
  const testFiles = new Set<string>();
  for (const m of entry.mutants) {
    for (const id of [...(m.coveredBy ?? []), ...(m.killedBy ?? [])]) {
      const tf = testFileById.get(id);
      if (tf !== undefined) testFiles.add(tf);
    }
  }
  for (const tf of [...testFiles].sort()) {
    const recorded = report.testFiles?.[tf]?.source;
    // A test file recorded without its source cannot be compared: Stryker re-runs it too.
    if (recorded === undefined || readSource(tf) !== recorded) reasons.push(`${tf} changed`);
  }
  return reasons;
}

export interface FloorVerdict {
  file: string;
  floor: number;
  score: number | null;
  ok: boolean;
}

/** A file passes when its score is at least its floor (one decimal, as the floors are written). */
export function checkFloor(s: FileScore, floor: number): FloorVerdict {
  const rounded = s.score === null ? null : Math.floor(s.score * 10) / 10;
  return { file: s.file, floor, score: s.score, ok: rounded !== null && rounded >= floor };
}

/** Survivors and uncovered mutants, as `line:column Mutator → replacement`, for the log. */
export function survivors(mutants: readonly ReportMutant[]): string[] {
  return mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .map((m) => `${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '')} (${m.status})`);
}
