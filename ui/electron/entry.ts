// Electron's main entry (bundled to CommonJS at launch by src/cli/screen/electron-launch.ts).
// The screen URL with its token comes in the environment, not argv (argv shows in `ps`).
import { electronScreenConfig } from '../../electron.config.ts';
import { startScreenProcess, type ElectronLike } from './main.ts';

declare const require: (id: 'electron') => ElectronLike;
declare const __dirname: string;

const url = process.env.TALLY_SCREEN_URL;
delete process.env.TALLY_SCREEN_URL;
if (!url) {
  process.stderr.write('error SCREEN_URL_MISSING: start the screen with `tally start`\n');
  process.exit(2);
}
startScreenProcess(require('electron'), { url, preload: `${__dirname}/preload.cjs`, config: electronScreenConfig() }).catch((e: Error) => {
  process.stderr.write(`error SCREEN_START_FAILED: ${e.message}\n`);
  process.exit(1);
});
