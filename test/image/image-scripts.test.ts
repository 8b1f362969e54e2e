import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The SD-card image scripts (the full build and boot test are their own long scripts,
 * scripts/image/build.sh and boot-test.sh): here only what is cheap enough for every CI run.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPTS = [
  ...readdirSync(join(ROOT, 'scripts/image')).filter((f) => f.endsWith('.sh')).map((f) => `scripts/image/${f}`),
  ...readdirSync(join(ROOT, 'deploy/image')).filter((f) => f.endsWith('.sh')).map((f) => `deploy/image/${f}`),
];
const haveShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

describe.skipIf(!haveShellcheck)('image scripts: shellcheck', () => {
  for (const script of SCRIPTS) {
    it(`${script} has no findings`, () => {
      const r = spawnSync('shellcheck', ['-x', '-P', 'SCRIPTDIR', script], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});

describe('image units', () => {
  const unit = (name: string) => readFileSync(join(ROOT, 'deploy/image', name), 'utf8');

  it('device keys are made as the tally user, sandboxed, before tally.service', () => {
    const keys = unit('tally-keys.service');
    expect(keys).toMatch(/^User=tally$/m);
    expect(keys).toMatch(/^ProtectSystem=strict$/m);
    expect(keys).toMatch(/^ReadWritePaths=\/var\/lib\/tally$/m);
    expect(keys).toMatch(/^Before=tally\.service$/m);
    expect(keys).toMatch(/keys init --data-dir \/var\/lib\/tally$/m);
    expect(unit('tally-image.conf')).toMatch(/^After=tally-keys\.service$/m);
  });

  it('first boot runs once (stamp), before the network names the device', () => {
    const fb = unit('tally-firstboot.service');
    expect(fb).toMatch(/^ConditionPathExists=!\/var\/lib\/tally-image\/firstboot-done$/m);
    expect(fb).toMatch(/^Before=.*network-pre\.target/m);
    expect(unit('firstboot.sh')).toContain('STAMP=/var/lib/tally-image/firstboot-done');
  });
});

describe('image: the reduced CI check', () => {
  const shell = (cmd: string) => spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8' });

  it('boots a subset of the real image: every quick package is in the image, and the quick set leaves out Node', () => {
    const r = shell('. scripts/image/lib.sh; echo "$IMAGE_PACKAGES"; echo ---; echo "$IMAGE_QUICK_PACKAGES"');
    expect(r.status).toBe(0);
    const [full, quick] = r.stdout.split('---').map((part) => part.split(/\s+/).filter(Boolean));
    expect(quick.length).toBeGreaterThan(10);
    expect(quick.filter((p) => !full.includes(p))).toEqual([]);
    expect(quick).toContain('linux-image-arm64');
    expect(quick).toContain('openssh-server'); // installed, so "SSH off" is checked, not assumed
    expect(quick).not.toContain('nodejs');
  });

  it('ci-check.sh refuses an unknown option before building anything', () => {
    const r = shell('bash scripts/image/ci-check.sh --fast');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--fast'");
  });

  it('.ci/run runs it after the tests', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci.indexOf('bash scripts/image/ci-check.sh')).toBeGreaterThan(ci.indexOf('npm test'));
  });
});
