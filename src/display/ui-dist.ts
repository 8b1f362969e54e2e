import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the prebuilt screen lives (`npm run build:ui` writes it). The device only serves
 * it: no bundler runs at device start-up.
 */
export const UI_DIST = fileURLToPath(new URL('../../ui/dist', import.meta.url));

/** Electron's main-process bundle, built beside the screen. */
export const ELECTRON_MAIN = join(UI_DIST, 'electron', 'main.cjs');

export function uiBundlePresent(dist = UI_DIST): boolean {
  return existsSync(join(dist, 'index.html'));
}
