import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { UI_DIR, UI_DIST } from './ui-bundle.ts';

/** Electron's binary when the optional dependency is installed, else null. */
export function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' ? path : null;
  } catch {
    return null;
  }
}

/** Bundles the main process and the sandboxed preload to CommonJS (Electron loads no TypeScript). */
export async function buildElectronBundle(outdir = join(UI_DIST, 'electron')): Promise<string> {
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node20', external: ['electron'], logLevel: 'warning' as const };
  await build({ ...common, entryPoints: [join(UI_DIR, 'electron/entry.ts')], outfile: join(outdir, 'main.cjs') });
  await build({ ...common, entryPoints: [join(UI_DIR, 'electron/preload.ts')], outfile: join(outdir, 'preload.cjs') });
  return join(outdir, 'main.cjs');
}

export async function launchElectron(url: string, binary: string): Promise<ChildProcess> {
  let main = join(UI_DIST, 'electron', 'main.cjs');
  // Rebuilt from source when esbuild is here (development); else the bundle ui:build made.
  try {
    main = await buildElectronBundle();
  } catch (e) {
    if (!existsSync(main)) throw e;
  }
  return spawn(binary, [main], { stdio: 'ignore', env: { ...process.env, TALLY_SCREEN_URL: url, ELECTRON_DISABLE_SECURITY_WARNINGS: '' } });
}

/** Without Electron: a browser in kiosk mode, when the owner names one (TALLY_SCREEN_BROWSER=chromium). */
export function launchKioskBrowser(url: string, browser: string): ChildProcess {
  return spawn(browser, ['--kiosk', `--app=${url}`, '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'], { stdio: 'ignore' });
}
