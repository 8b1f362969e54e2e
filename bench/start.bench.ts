import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measured, type BenchModule, type BenchResult } from './types.ts';

/**
 * Cold start and idle memory of the whole device, from the TypeScript sources through tsx
 * (how Tally ran before the production build) against the production build (dist/, plain
 * node), in one run, alternating. `tally start --board sim --wake openwakeword`: the real
 * wake pipeline on the simulated microphone's room tone. Ready = the `screen:` line, which
 * start prints after the detector threads loaded their models and the device started
 * taking frames. Idle RSS: the process (all its threads) 3 s after ready, from /proc.
 */
export const suite = 'start';
export const needs: BenchModule['needs'] = ['dist', 'ui'];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const IDLE_MS = 3000;

type Mode = 'source' | 'dist' | 'bare';
/** The floor: a bare Node process that prints the ready line at once and idles. */
const BARE = "process.stdout.write('screen: bare\\n'); setInterval(() => {}, 1000);";

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function startOnce(mode: Mode): Promise<{ readyMs: number; rss: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-start-bench-'));
  const t0 = performance.now();
  const args = mode === 'bare' ? ['-e', BARE] : [join(ROOT, 'bin/tally.js'), 'start', '--board', 'sim', '--wake', 'openwakeword', '--no-electron', '--data-dir', dataDir];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, TALLY_RUN: mode },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => finish(new Error(`no "screen:" line within 120 s (${mode}): ${err.slice(0, 300)}`)), 120_000);
    const finish = (e: Error | null, value?: { readyMs: number; rss: number }) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
      if (e) reject(e);
      else resolve(value!);
    };
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      const before = out;
      out += d;
      if (!before.includes('screen: ') && out.includes('screen: ')) {
        const readyMs = performance.now() - t0;
        setTimeout(() => finish(null, { readyMs, rss: rssMb(child.pid!) }), IDLE_MS);
      }
    });
    child.once('exit', (code) => {
      if (!out.includes('screen: ')) finish(new Error(`tally start (${mode}) exited ${code}: ${err.slice(0, 300)}`));
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const rounds = quick ? 1 : 5;
  const r: Record<Mode, { ready: number[]; rss: number[] }> = { source: { ready: [], rss: [] }, dist: { ready: [], rss: [] }, bare: { ready: [], rss: [] } };
  await startOnce('dist'); // warms the OS file cache for both (same node_modules)
  for (let i = 0; i < rounds; i++) {
    for (const mode of (i % 2 ? ['dist', 'bare', 'source'] : ['source', 'bare', 'dist']) as Mode[]) {
      const { readyMs, rss } = await startOnce(mode);
      r[mode].ready.push(readyMs);
      r[mode].rss.push(rss);
    }
  }
  const ready = { source: median(r.source.ready), dist: median(r.dist.ready), bare: median(r.bare.ready) };
  const rss = { source: median(r.source.rss), dist: median(r.dist.rss), bare: median(r.bare.rss) };
  const bareName = 'a bare Node process printing its ready line at once (the spawn + runtime floor), same run, median';
  return [
    { name: 'start.cold_ready_ms.source_tsx', value: ready.source, unit: 'ms', runs: rounds, ref: measured(bareName, ready.bare), ratio: ready.source / ready.bare },
    { name: 'start.cold_ready_ms.dist', value: ready.dist, unit: 'ms', runs: rounds, ref: measured('the same start from the sources through tsx, same run, median', ready.source), ratio: ready.dist / ready.source, bareMs: ready.bare },
    { name: 'start.idle_rss_mb.source_tsx', value: rss.source, unit: 'MB', runs: rounds, ref: measured(`${bareName} (its idle RSS)`, rss.bare), ratio: rss.source / rss.bare },
    { name: 'start.idle_rss_mb.dist', value: rss.dist, unit: 'MB', runs: rounds, ref: measured('the same start from the sources through tsx, same run, median', rss.source), ratio: rss.dist / rss.source, bareMb: rss.bare },
  ];
}
