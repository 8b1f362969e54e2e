import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every shell script we ship or run in CI, checked by shellcheck when it is installed. */
const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPTS = [
  'deploy/install.sh',
  'deploy/kiosk/launch.sh',
  ...readdirSync(join(ROOT, 'scripts/arm')).filter((f) => f.endsWith('.sh')).map((f) => `scripts/arm/${f}`),
];
const haveShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

describe.skipIf(!haveShellcheck)('shellcheck', () => {
  for (const script of SCRIPTS) {
    it(`${script} has no findings`, () => {
      const r = spawnSync('shellcheck', ['-x', '-P', 'SCRIPTDIR', script], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
