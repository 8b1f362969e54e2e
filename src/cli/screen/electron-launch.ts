import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TallyError } from '../../../hal/base/errors.ts';
import { ELECTRON_MAIN } from '../../display/ui-dist.ts';

/** Electron's binary when the optional dependency is installed, else null. */
export function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}

export async function launchElectron(url: string, binary: string): Promise<ChildProcess> {
  // The bundle `npm run build:ui` made: no bundler runs at device start-up.
  if (!existsSync(ELECTRON_MAIN)) throw new TallyError('SCREEN_BUNDLE_MISSING', `${ELECTRON_MAIN} is missing: run \`npm run build:ui\``);
  return spawn(binary, [ELECTRON_MAIN], { stdio: 'ignore', env: { ...process.env, TALLY_SCREEN_URL: url, ELECTRON_DISABLE_SECURITY_WARNINGS: '' } });
}

/** Without Electron: a browser in kiosk mode, when the owner names one (TALLY_SCREEN_BROWSER=chromium). */
export function launchKioskBrowser(url: string, browser: string): ChildProcess {
  return spawn(browser, ['--kiosk', `--app=${url}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], { stdio: 'ignore' });
}
