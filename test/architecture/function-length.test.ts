import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureFile, measureFunctions } from '../../scripts/function-lengths.ts';

/** The standard: no function under src/, hal/ or boards/ longer than this many lines. */
const MAX_LINES = 60;

/**
 * Functions allowed to stay too long, as `file:name` (it held src/core's while the core
 * was refactored in #10; empty since). Every entry must still be too long — once one is
 * split this test says to remove it — so the list only shrinks. Do not add to it.
 */
const ALLOWED_TOO_LONG: readonly string[] = [];

describe('function length', () => {
  const all = measureFunctions(['hal', 'boards', 'src']);
  const key = (f: { file: string; name: string }) => `${f.file}:${f.name}`;

  it(`no function under hal/, boards/ or src/ is longer than ${MAX_LINES} lines`, () => {
    const over = all.filter((f) => f.lines > MAX_LINES && !ALLOWED_TOO_LONG.includes(key(f)));
    expect(over.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });

  it('every allow-listed function still exists and is still too long (else remove it from the list)', () => {
    for (const name of ALLOWED_TOO_LONG) {
      expect(all.filter((f) => key(f) === name && f.lines > MAX_LINES), name).toHaveLength(1);
    }
    expect(ALLOWED_TOO_LONG.every((k) => k.startsWith('src/core/'))).toBe(true);
  });

  it('measured the tree (a walk that found nothing would pass the first test)', () => {
    expect(all.length).toBeGreaterThan(500);
    for (const root of ['hal/', 'boards/', 'src/']) expect(all.some((f) => f.file.startsWith(root)), root).toBe(true);
  });
});

describe('scripts/function-lengths.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-fnlen-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n');
  const file = join(dir, 'probe.ts');
  // 61 lines each: a declaration, an arrow in a variable, a class method; and a 60-line one.
  writeFileSync(
    file,
    [
      `export function tooLong(x: number) {\n${body(59)}\n}`,
      `export const arrow = (x: number) => {\n${body(59)}\n};`,
      `export class K {\n  m(x: number) {\n${body(59)}\n  }\n}`,
      `export function justRight(x: number) {\n${body(58)}\n}`,
    ].join('\n'),
  );

  it('names and measures declarations, arrows and methods by their first and last line', () => {
    const got = measureFile(file).map((f) => [f.name, f.line, f.lines]);
    expect(got).toEqual([
      ['tooLong', 1, 61],
      ['arrow', 62, 61],
      ['K.m', 124, 61],
      ['justRight', 186, 60],
    ]);
  });

  it('--max 60 exits 1 on a longer function and --json lists it; exits 0 when all fit', () => {
    const script = join('scripts', 'function-lengths.ts');
    const tsx = join('node_modules', '.bin', 'tsx');
    const target = relative('.', dir);
    let status = 0;
    let out = '';
    try {
      execFileSync(tsx, [script, target, '--max', '60', '--json'], { encoding: 'utf8' });
    } catch (e) {
      status = (e as { status: number }).status;
      out = (e as { stdout: string }).stdout;
    }
    expect(status).toBe(1);
    const report = JSON.parse(out) as { over: number; longest: { name: string }[] };
    expect(report.over).toBe(3);
    expect(report.longest.map((f) => f.name).sort()).toEqual(['K.m', 'arrow', 'tooLong']);
    expect(execFileSync(tsx, [script, target, '--max', '61'], { encoding: 'utf8' })).toMatch(/0 over 61/);
  });
});
