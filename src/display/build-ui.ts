// `npm run build:ui`: builds the screen (Vite) and Electron's main/preload (esbuild) into
// ui/dist — for installs that will run without dev dependencies (a Pi: build, then prune).
import { ensureUiBuilt, UI_DIST } from './ui-bundle.ts';

await ensureUiBuilt({ force: true });
process.stdout.write(`built ${UI_DIST}\n`);
