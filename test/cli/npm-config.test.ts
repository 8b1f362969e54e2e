import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { scaledTimeout } from '../support/timeout-scale.ts';

const run = promisify(execFile);

describe('npm in this project', () => {
  it('prints no "Unknown project config" warning (the onnxruntime-node switch is not an .npmrc key)', async () => {
    const { stderr } = await run('npm', ['config', 'list'], { env: { ...process.env, npm_config_loglevel: 'warn' } });
    expect(stderr).not.toMatch(/Unknown (project|user|env) config/);
  }, scaledTimeout(30_000));

  it('denies onnxruntime-node its postinstall (a CUDA 12 download on linux/x64; the CPU build ships in the package)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts: Record<string, boolean> };
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip npm install/);
  });
});
