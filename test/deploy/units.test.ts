import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The systemd units deploy/install.sh writes, checked by systemd's own parser when it is here. */
const ROOT = join(import.meta.dirname, '..', '..');
const haveAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

/** What install.sh's sed does to the templates. */
function render(template: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-units-'));
  const text = readFileSync(join(ROOT, template), 'utf8').replaceAll('@NODE@', process.execPath).replaceAll('@PREFIX@', ROOT).replaceAll('@DATA_DIR@', join(dir, 'data'));
  const out = join(dir, template.split('/').pop()!);
  writeFileSync(out, text);
  return out;
}

describe('systemd units', () => {
  it('tally.service: non-root, plain node on the build, real voice service, sandboxed', () => {
    const text = readFileSync(join(ROOT, 'deploy/tally.service'), 'utf8');
    expect(text).toMatch(/^User=tally$/m);
    expect(text).toMatch(/^ExecStart=@NODE@ @PREFIX@\/bin\/tally\.js start .*--voice \$\{TALLY_VOICE\}/m);
    expect(text).toMatch(/^Environment=.*TALLY_RUN=dist/m);
    expect(text).toMatch(/TALLY_VOICE=wyoming/);
    for (const line of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'PrivateTmp=yes', 'ReadWritePaths=@DATA_DIR@', 'DevicePolicy=closed', 'CapabilityBoundingSet=', 'InaccessiblePaths=-/dev/shm']) {
      expect(text.split('\n')).toContain(line);
    }
    const directives = text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(directives).not.toMatch(/tsx|vite|esbuild/i);
  });

  it.skipIf(!haveAnalyze)('systemd-analyze verify accepts both units, and rates tally.service well sandboxed', () => {
    for (const unit of ['deploy/tally.service', 'deploy/kiosk/tally-kiosk.service']) {
      const r = spawnSync('systemd-analyze', ['verify', render(unit)], { encoding: 'utf8' });
      expect(r.stdout + r.stderr, unit).toBe('');
    }
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', render('deploy/tally.service')], { encoding: 'utf8' });
    const level = Number(/Overall exposure level for tally\.service: ([\d.]+)/.exec(r.stdout)?.[1]);
    expect(level).toBeLessThanOrEqual(2.5); // systemd: ≤ 2.5 rates "OK"; 5+ is MEDIUM
  });
});
