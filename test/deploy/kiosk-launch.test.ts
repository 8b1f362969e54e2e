import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const LAUNCH = join(import.meta.dirname, '..', '..', 'deploy', 'kiosk', 'launch.sh');
const URL_WITH_TOKEN = 'http://127.0.0.1:8123/?token=SECRET-token_123';

/** Runs the kiosk launcher with a stand-in for cage + chromium that records its argv. */
function launch(url: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-kiosk-'));
  const urlFile = join(dir, 'screen-url');
  writeFileSync(urlFile, `${url}\n`, { mode: 0o640 });
  const fake = join(dir, 'fake-browser.sh');
  writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\n`);
  chmodSync(fake, 0o755);
  const r = spawnSync('bash', [LAUNCH], {
    encoding: 'utf8',
    env: { ...process.env, TALLY_SCREEN_URL_FILE: urlFile, TALLY_KIOSK_DIR: join(dir, 'kiosk'), TALLY_KIOSK_EXEC: fake, TALLY_KIOSK_WAIT: '2' },
  });
  return { r, dir };
}

describe('kiosk launcher (deploy/kiosk/launch.sh)', () => {
  it('opens a private redirect page: the token is in a 0600 file, not in the browser argv', () => {
    const { r, dir } = launch(URL_WITH_TOKEN);
    expect(r.status).toBe(0);
    const argv = readFileSync(join(dir, 'argv'), 'utf8');
    expect(argv).not.toContain('SECRET');
    const page = join(dir, 'kiosk', 'tally-screen.html');
    expect(argv.trim()).toBe(`file://${page}`);
    expect(statSync(page).mode & 0o777).toBe(0o600);
    expect(readFileSync(page, 'utf8')).toContain(`location.replace('${URL_WITH_TOKEN}')`);
  });

  it('refuses a URL that is not on this device (and opens nothing)', () => {
    const { r, dir } = launch("http://evil.example/?x=');alert(1)//");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not on this device/);
    expect(() => readFileSync(join(dir, 'argv'))).toThrow();
  });
});
