import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../hal/base/package-root.ts';

/**
 * Where the prebuilt screen lives (`npm run build:ui` writes it). The device only serves
 * it: no bundler runs at device start-up.
 */
export const UI_DIST = join(PACKAGE_ROOT, 'ui', 'dist');

/** Electron's main-process bundle, built beside the screen. */
export const ELECTRON_MAIN = join(UI_DIST, 'electron', 'main.cjs');

export function uiBundlePresent(dist = UI_DIST): boolean {
  return existsSync(join(dist, 'index.html'));
}
