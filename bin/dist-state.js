// Is the production build (dist/) there, and is it at least as new as the sources?
// Plain JavaScript: bin/tally.js and scripts/build.js use it before any TypeScript loads.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST_MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/** Written last by `npm run build`: its mtime is the build's. */
export const DIST_STAMP = join(ROOT, 'dist', '.build-stamp');
const SOURCE_DIRS = ['hal', 'boards', 'src'];

function newestTs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function distPresent() {
  return existsSync(DIST_MAIN) && existsSync(DIST_STAMP);
}

/** True when dist/ is present and no source file is newer than the build. */
export function distFresh() {
  if (!distPresent()) return false;
  const built = statSync(DIST_STAMP).mtimeMs;
  return SOURCE_DIRS.every((d) => !existsSync(join(ROOT, d)) || newestTs(join(ROOT, d)) <= built);
}

/** Dev tools are installed (a checkout with dev dependencies), so the sources can run. */
export function canRunSource() {
  try {
    import.meta.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}
