#!/usr/bin/env node
// `npm run build`: the TypeScript of hal/, boards/ and src/ to plain JavaScript in dist/
// (tsc, tsconfig.build.json) and the prebuilt screen bundle in ui/dist (Vite), then the
// stamp bin/tally.js checks. `--if-needed` (npm start) builds only what is missing or
// stale, and on an install without dev tools uses what is there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canRunSource, distFresh, distPresent, DIST_STAMP, ROOT } from '../bin/dist-state.js';

const ifNeeded = process.argv.includes('--if-needed');

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!canRunSource()) {
  if (distPresent()) {
    if (!ifNeeded) process.stdout.write('build: no dev tools installed; using the dist/ that is there\n');
    process.exit(0);
  }
  process.stderr.write('build: dist/ is missing and the dev dependencies (typescript, vite) are not installed: run `npm install` first\n');
  process.exit(1);
}

if (!ifNeeded || !distFresh()) {
  const t0 = Date.now();
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  run([join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  writeFileSync(DIST_STAMP, `${new Date().toISOString()}\n`);
  process.stdout.write(`build: dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
run(['--import', 'tsx', join(ROOT, 'scripts', 'build-ui.ts'), ...(ifNeeded ? ['--if-stale'] : [])]);
