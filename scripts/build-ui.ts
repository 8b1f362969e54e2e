// `npm run build:ui`: builds the screen (Vite) and Electron's main/preload (esbuild) into
// ui/dist — the device only serves this bundle. `--if-stale` (npm start, the test set-up)
// builds only when a source is newer than the bundle.
import { electronBinary } from '../src/cli/screen/electron-launch.ts';
import { setScreenFuses } from './ui/electron-fuses.ts';
import { ensureUiBuilt, UI_DIST } from './ui/ui-bundle.ts';

const ifStale = process.argv.includes('--if-stale');
await ensureUiBuilt({ force: !ifStale });
process.stdout.write(`${ifStale ? 'screen bundle up to date' : 'built'}: ${UI_DIST}\n`);
// Where Electron is installed (a desktop), lock its binary down with fuses.
const electron = electronBinary();
if (electron) {
  await setScreenFuses(electron);
  process.stdout.write(`electron fuses set: ${electron}\n`);
}
