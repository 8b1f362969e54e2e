import { existsSync, readdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TallyError } from '../../hal/base/errors.ts';
import { UI_DIST } from '../../src/display/ui-dist.ts';

export { UI_DIST };
export const UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../ui');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** True when ui/dist is missing or older than a source file (a clean clone, or an edit). */
export function uiBundleIsStale(): boolean {
  const index = join(UI_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  // protocol.ts is shared with the device: a change there must rebuild the screen too.
  const files = [join(UI_DIR, 'index.html'), join(UI_DIR, 'vite.config.ts'), fileURLToPath(new URL('../../src/display/protocol.ts', import.meta.url))];
  const sources = Math.max(newestMtime(join(UI_DIR, 'src')), ...files.map((f) => statSync(f).mtimeMs));
  return sources > built;
}

let building: Promise<void> | null = null;

/**
 * Builds the screen's bundle with Vite when it is missing or stale (`npm start`, the test
 * set-up and `npm run build:ui` call it; the device itself never does). Concurrent callers
 * share one build.
 */
export function ensureUiBuilt(opts: { force?: boolean; progress?: (step: 'starting' | 'screen' | 'electron') => void } = {}): Promise<void> {
  if (!opts.force && !uiBundleIsStale()) return Promise.resolve();
  building ??= (async () => {
    let build: typeof import('vite').build;
    try {
      ({ build } = await import('vite'));
    } catch (cause) {
      // An install without dev dependencies (a Pi: npm ci --omit=dev) has no Vite: use the
      // bundle that is there, or say how to get one.
      if (existsSync(join(UI_DIST, 'index.html'))) return;
      throw new TallyError('SCREEN_BUNDLE_MISSING', 'the screen bundle ui/dist is missing and Vite (a dev dependency) is not installed: run `npm run build:ui` where dev dependencies are installed, then copy ui/dist', { cause });
    }
    // Build beside dist and swap it in, so a second process (a parallel test file) building
    // at the same time never serves a half-written bundle.
    const tmp = `${UI_DIST}.tmp-${process.pid}-${Date.now()}`;
    opts.progress?.('starting');
    await build({ configFile: join(UI_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
    // Electron's main + preload too, so an install without dev dependencies can still open it.
    opts.progress?.('screen');
    const { buildElectronBundle } = await import('./electron-bundle.ts');
    await buildElectronBundle(join(tmp, 'electron'));
    opts.progress?.('electron');
    await rm(UI_DIST, { recursive: true, force: true });
    try {
      await rename(tmp, UI_DIST);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      if (!existsSync(join(UI_DIST, 'index.html'))) throw e;
    }
  })().finally(() => {
    building = null;
  });
  return building;
}
