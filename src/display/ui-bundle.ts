import { existsSync, readdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../ui');
export const UI_DIST = join(UI_DIR, 'dist');

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
  const sources = Math.max(newestMtime(join(UI_DIR, 'src')), statSync(join(UI_DIR, 'index.html')).mtimeMs, statSync(join(UI_DIR, 'vite.config.ts')).mtimeMs);
  return sources > built;
}

let building: Promise<void> | null = null;

/**
 * Builds the screen's bundle with Vite when it is missing or stale, so a clean clone
 * works without a separate build step. Concurrent callers share one build.
 */
export function ensureUiBuilt(opts: { force?: boolean } = {}): Promise<void> {
  if (!opts.force && !uiBundleIsStale()) return Promise.resolve();
  building ??= (async () => {
    const { build } = await import('vite');
    // Build beside dist and swap it in, so a second process (a parallel test file) building
    // at the same time never serves a half-written bundle.
    const tmp = `${UI_DIST}.tmp-${process.pid}-${Date.now()}`;
    await build({ configFile: join(UI_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
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
