import type { ChildProcess } from 'node:child_process';
import type { SimBoard } from '../../../hal/sim/sim-board.ts';
import type { CliIO } from '../io.ts';
import type { Device } from '../../core/device-types.ts';
import type { HistoryStore } from '../../history/history-store.ts';
import type { ScriptedWakeDetector } from '../../wake/scripted-wake-detector.ts';
import { startDisplayBridge, type DisplayBridge } from '../../display/bridge.ts';
import { createCatalog } from '../../display/catalog/create-catalog.ts';
import { electronBinary, launchElectron, launchKioskBrowser } from './electron-launch.ts';
import { historyForDisplay } from '../../display/history-adapter.ts';
import { simControlsFor } from './sim-controls.ts';
import { uiBundlePresent, UI_DIST } from '../../display/ui-dist.ts';

export interface StartScreenOptions {
  io: CliIO;
  port?: number;
  host?: string;
  allowLan?: boolean;
  /** --no-electron: only print the URL. */
  electron?: boolean;
  sim?: SimBoard | null;
  scriptedWake?: ScriptedWakeDetector | null;
  history?: HistoryStore | null;
  /** --online-catalog: look scanned codes up in Open Food Facts too (only the code is sent). */
  onlineCatalog?: boolean;
}

/**
 * `tally start`'s screen: starts the display bridge, prints exactly one line
 * `screen: <url-with-token>`, and opens Electron when it is installed (or a kiosk browser
 * named by TALLY_SCREEN_BROWSER). Returns the cleanup.
 */
export async function startScreen(device: Device, opts: StartScreenOptions): Promise<{ url: string; close(): Promise<void> }> {
  if (!uiBundlePresent()) {
    // The device runs without its screen (the ring is still the indicator); say why.
    opts.io.err(`screen: unavailable — error SCREEN_BUNDLE_MISSING: ${UI_DIST} is missing: run \`npm run build:ui\` (npm start does it for you)`);
    return { url: '', close: async () => {} };
  }
  const sim = opts.sim ? simControlsFor(opts.sim, { scriptedWake: opts.scriptedWake ?? null }) : undefined;
  let bridge: DisplayBridge;
  try {
    bridge = await startDisplayBridge({
      device,
      catalog: await createCatalog({ online: Boolean(opts.onlineCatalog) }),
      ...(opts.history ? { history: historyForDisplay(opts.history) } : {}),
      ...(sim ? { simControls: sim } : {}),
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.host ? { host: opts.host } : {}),
      ...(opts.allowLan ? { allowLan: true } : {}),
    });
  } catch (e) {
    sim?.close();
    throw e;
  }
  opts.io.out(`screen: ${bridge.url}`);
  let child: ChildProcess | null = null;
  if (opts.electron !== false) {
    const binary = electronBinary();
    const browser = opts.io.env.TALLY_SCREEN_BROWSER;
    try {
      if (binary) child = await launchElectron(bridge.url, binary);
      else if (browser) child = launchKioskBrowser(bridge.launchUrl(), browser); // a one-time code, not the token, in its argv
    } catch (e) {
      opts.io.err(`screen: could not open a window (${(e as Error).message}); open the URL above`);
    }
    child?.on('error', () => opts.io.err('screen: the window process failed to start; open the URL above'));
  }
  return {
    url: bridge.url,
    async close() {
      child?.kill();
      sim?.close();
      await bridge.close();
    },
  };
}
