import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkTarget, formatBenchTable } from '../../bench/report-table.ts';
import { measured, stated } from '../../bench/types.ts';

const run = promisify(execFile);

describe('npm run bench: the human-readable table', () => {
  it('checks a target against the ratio when there is one, else the value', () => {
    expect(checkTarget({ name: 'a', value: 9, unit: 'ms', ref: measured('bare', 10), ratio: 0.9, target: '<= 1.15' })).toBe('met');
    expect(checkTarget({ name: 'a', value: 0.5, unit: 'ratio', ref: stated('t', 0.05), target: '<= 0.05' })).toBe('not met');
    expect(checkTarget({ name: 'a', value: 0, unit: '1/h', ref: stated('t', 0), target: '0' })).toBe('met');
    expect(checkTarget({ name: 'a', value: 200, unit: 'MB', ref: stated('t', 150), target: '<= 150' })).toBe('not met');
    expect(checkTarget({ name: 'a', value: 1, unit: 'ms', ref: measured('r', 1) })).toBe('');
    expect(checkTarget({ name: 'a', value: 1, unit: 'x', ref: measured('r', 1.1), ratio: 0.9, target: 'ratio >= 0.8' })).toBe('met');
    expect(checkTarget({ name: 'a', value: 99, unit: 'ms', ref: measured('r', 1), target: '<= 20', met: false })).toBe('not met');
  });

  it('has one row per figure with value+unit, reference, ratio, target and verdict, and a summary', () => {
    const table = formatBenchTable([
      { name: 'wake.miss_rate_clean', value: 0.5, unit: 'ratio', ref: stated('target', 0.05), target: 'value <= 0.05' },
      { name: 'wake.overhead_vs_bare_inference', value: 3.3, unit: 'ms/frame', ref: measured('bare', 3.2), ratio: 1.03, target: '<= 1.15', issueTarget: '#19 overhead' },
    ]).split('\n');
    expect(table[0]).toMatch(/^figure\s+value\s+reference\s+ratio\s+target\s+met$/);
    expect(table[2]).toMatch(/^wake\.miss_rate_clean\s+0\.5 ratio\s+0\.05 \(target\)\s+value <= 0\.05\s+not met$/);
    expect(table[3]).toMatch(/^wake\.overhead_vs_bare_inference\s+3\.3 ms\/frame\s+3\.2\s+1\.03\s+<= 1\.15\s+met$/);
    expect(table).toContain('issue targets:');
    expect(table).toContain('- #19 overhead: wake.overhead_vs_bare_inference 3.3 ms/frame (ratio 1.03) → met');
    expect(table.at(-1)).toBe('2 figures; targets: 1 met, 1 not met');
  });

  it('follows the JSON lines in a real run; --json keeps JSON only; progress goes to stderr', async () => {
    const withTable = await run(process.execPath, ['bin/run-bench.js', '--only', 'gate', '--quick']);
    const [json, table] = withTable.stdout.split('\n\n');
    for (const l of json!.trim().split('\n')) expect(JSON.parse(l).name).toMatch(/^gate\./);
    expect(table).toMatch(/^figure\s+value/);
    expect(table).toMatch(/gate\.mute_to_abort\.p50\s+[\d.]+ us/);
    expect(withTable.stderr).toMatch(/^bench: 1\/1 \(gate\)/m);
    const jsonOnly = await run(process.execPath, ['bin/run-bench.js', '--only', 'gate', '--quick', '--json']);
    for (const l of jsonOnly.stdout.trim().split('\n')) expect(() => JSON.parse(l)).not.toThrow();
  }, 60_000);
});
