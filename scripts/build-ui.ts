// `npm run build:ui`: builds the screen (Vite) and Electron's main/preload (esbuild) into
// ui/dist — the device only serves this bundle. `--if-stale` (npm start, the test set-up)
// builds only when a source is newer than the bundle.
import { electronBinary } from '../src/cli/screen/electron-launch.ts';
import { setScreenFuses } from './ui/electron-fuses.ts';
import { ensureUiBuilt, UI_DIST } from './ui/ui-bundle.ts';
import { startProgress, type Progress } from '../src/cli/progress.ts';

const ifStale = process.argv.includes('--if-stale');
// A first `npm start` builds the screen (tens of seconds on a Pi): say so while it runs.
let progress: Progress | null = null;
let built = false;
await ensureUiBuilt({
  force: !ifStale,
  progress: (step) => {
    if (step === 'starting') {
      progress = startProgress('building the screen (first start or changed sources)', 2);
      return;
    }
    progress?.tick(step === 'screen' ? 'screen bundle (vite)' : 'electron main/preload');
    if (step === 'electron') {
      progress?.done();
      built = true;
    }
  },
});
process.stdout.write(`${built ? 'built' : 'screen bundle up to date'}: ${UI_DIST}\n`);
// Where Electron is installed (a desktop), lock its binary down with fuses.
const electron = electronBinary();
if (electron) {
  await setScreenFuses(electron);
  process.stdout.write(`electron fuses set: ${electron}\n`);
}
