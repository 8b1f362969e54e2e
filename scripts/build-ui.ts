// `npm run build:ui`: builds the screen (Vite) and Electron's main/preload (esbuild) into
// ui/dist — the device only serves this bundle. `--if-stale` (npm start, the test set-up)
// builds only when a source is newer than the bundle.
import { ensureUiBuilt, UI_DIST } from './ui/ui-bundle.ts';

const ifStale = process.argv.includes('--if-stale');
await ensureUiBuilt({ force: !ifStale });
process.stdout.write(`${ifStale ? 'screen bundle up to date' : 'built'}: ${UI_DIST}\n`);
