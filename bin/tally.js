#!/usr/bin/env node
// The `tally` command. On a device (an install without dev dependencies) it runs the
// production build in dist/ with plain node. In a checkout with dev tools it runs the
// TypeScript sources through tsx whenever dist/ is missing or older than a source, so an
// edit never runs stale code. TALLY_RUN=dist|source forces one.
import { canRunSource, distFresh, distPresent, DIST_MAIN } from './dist-state.js';

const forced = process.env.TALLY_RUN;
const source = canRunSource();
const useDist = forced === 'dist' || (forced !== 'source' && (source ? distFresh() : distPresent()));
let main;
if (useDist) {
  ({ main } = await import(new URL(`file://${DIST_MAIN}`).href));
} else if (source) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
} else {
  process.stderr.write('tally: the production build (dist/) is missing and the dev tools to run the sources are not installed: run `npm run build` in a checkout with dev dependencies (npm install), or install a release that includes dist/\n');
  process.exit(1);
}
process.exitCode = await main(process.argv.slice(2));
