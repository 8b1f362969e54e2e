import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TallyError } from '../hal/base/errors.ts';
import { uiBundlePresent } from '../src/display/ui-dist.ts';
import type { BenchNeed } from './types.ts';
// @ts-expect-error plain JavaScript without declarations (bin/ runs before any TypeScript loads)
import { distPresent } from '../bin/dist-state.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildStep {
  /** The command that brings a need up to date (skipped when nothing is stale). */
  args: string[];
  /** True once the need is met. */
  present: () => boolean;
}

/** How each need is built: the production build also builds the screen. */
export const BUILD_STEPS: Record<BenchNeed, BuildStep> = {
  ui: { args: ['--import', 'tsx', join(ROOT, 'scripts', 'build-ui.ts'), '--if-stale'], present: () => uiBundlePresent() },
  dist: { args: [join(ROOT, 'scripts', 'build.js'), '--if-needed'], present: () => uiBundlePresent() && (distPresent as () => boolean)() },
};

/**
 * Before the suites that load the screen (ui/dist) or the production build (dist/) run:
 * builds what is missing or stale, its output on stderr (stdout is the JSON lines). Throws
 * BENCH_UI_NOT_BUILT when the build fails or leaves the bundle missing (e.g. an install
 * without dev tools), so the suites fail with a code instead of a 404 deep in Chromium.
 */
export function ensureBuilt(needs: ReadonlySet<BenchNeed>, steps: Record<BenchNeed, BuildStep> = BUILD_STEPS): void {
  // dist covers ui: one build when both are needed.
  const order: BenchNeed[] = needs.has('dist') ? ['dist'] : needs.has('ui') ? ['ui'] : [];
  for (const need of order) {
    const step = steps[need];
    const r = spawnSync(process.execPath, step.args, { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (r.status !== 0 || !step.present()) {
      throw new TallyError('BENCH_UI_NOT_BUILT', `the ${need === 'dist' ? 'production build (dist/) and screen bundle (ui/dist)' : 'screen bundle (ui/dist)'} could not be built (exit ${r.status ?? r.signal}): run \`npm run build\` and look at its errors`, { details: { need } });
    }
  }
}
