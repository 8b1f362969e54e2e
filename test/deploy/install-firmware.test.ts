import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** deploy/install.sh's config.txt editing, on a scratch file (the rest runs in the arm64 rootfs: scripts/arm/check.sh). */
const INSTALL = join(import.meta.dirname, '..', '..', 'deploy', 'install.sh');
const ORIGINAL = '# stock config\ndtparam=audio=on\n[pi4]\narm_boost=1\n';

function firmware(file: string, board: string, extra: string[] = ['--yes']) {
  return spawnSync('bash', [INSTALL, '--firmware-only', '--firmware-config', file, '--board', board, ...extra], { encoding: 'utf8', input: '' });
}

describe('install.sh firmware config block', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tally-fw-')), 'config.txt');

  it('adds the board overlays under [all] in one marked block, showing the diff', () => {
    writeFileSync(file, ORIGINAL);
    const r = firmware(file, 'respeaker-2mic');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('+dtoverlay=seeed-2mic-voicecard');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(ORIGINAL)).toBe(true);
    expect(text.slice(ORIGINAL.length)).toBe('# >>> tally (deploy/install.sh) >>>\n[all]\ndtparam=spi=on\ndtparam=i2c_arm=on\ndtoverlay=seeed-2mic-voicecard\n# <<< tally <<<\n');
  });

  it('is idempotent: a second run changes nothing', () => {
    const before = readFileSync(file, 'utf8');
    const r = firmware(file, 'respeaker-2mic');
    expect(r.stdout).toContain('already up to date');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('another board replaces the block; a board needing nothing removes it', () => {
    firmware(file, 'rpi5-neopixel-spi');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('seeed');
    expect(text.match(/>>> tally/g)).toHaveLength(1);
    firmware(file, 'sim');
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  it('without --yes and no answer, the file is left alone', () => {
    writeFileSync(file, ORIGINAL);
    const r = firmware(file, 'respeaker-4mic', []);
    expect(r.stdout).toContain('left unchanged');
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
  });

  it('refuses the root-only PWM ring board with the SPI alternative', () => {
    const r = spawnSync('bash', [INSTALL, '--board', 'rpi-neopixel-ring', '--yes'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/needs root.*rpi5-neopixel-spi/);
  });
});
