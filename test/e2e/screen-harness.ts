import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BoardDefinition } from '../../hal/board-definition.ts';
import type { SimBoard } from '../../hal/sim/sim-board.ts';
import { SystemClock } from '../../hal/base/clock.ts';
import type { TallyDevice } from '../../src/core/device.ts';
import { startDisplayBridge, type DisplayBridge } from '../../src/display/bridge.ts';
import { historyForDisplay } from '../../src/display/history-adapter.ts';
import { simControlsFor } from '../../src/cli/screen/sim-controls.ts';
import { attachHistory } from '../../src/history/attach-history.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { MemoryMuteStore } from '../../src/core/mute/mute-store.ts';
import type { Settings } from '../../src/core/settings/schema.ts';
import { SimVoiceService } from '../../src/voice/sim-voice-service.ts';
import type { ScriptedWakeDetector } from '../../src/wake/scripted-wake-detector.ts';
import { buildSimDevice } from '../support/sim-device.ts';
import { connectionFor, setupPortFor } from '../../src/cli/screen/setup-port.ts';
import { writeFirstRun } from '../../src/history/first-run.ts';
import type { ConnectionInfo } from '../../src/display/protocol.ts';
import { atSize, SIZES } from './layout-checks.ts';

export const CHROMIUM = process.env.TALLY_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/** The simulated voice service, plus a script hook for the owner's words (the XSS test). */
export class ScriptableVoice extends SimVoiceService {
  say(kind: 'transcript' | 'response-text', streamId: number, text: string): void {
    this.emit(kind, streamId, text);
  }
  emitPaused(paused: boolean): void {
    this.emit('paused', paused);
  }
  emitError(code: string): void {
    this.emit('error', code, null);
  }
  emitNotification(kind: 'timer' | 'announcement' | 'notification', label: string): void {
    this.emit('notification', kind, label);
  }
}

export interface ScreenHarness {
  device: TallyDevice;
  sim: SimBoard;
  voice: ScriptableVoice;
  wake: ScriptedWakeDetector;
  store: HistoryStore;
  dataDir: string;
  bridge: DisplayBridge;
  page: Page;
  close(): Promise<void>;
}

let browser: Browser | null = null;
let page_: Page | null = null;
const CONTEXT = { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' as const };

async function sharedPage(): Promise<Page> {
  if (!page_ || page_.isClosed()) page_ = await (await (await sharedBrowser()).newContext(CONTEXT)).newPage();
  return page_;
}
export async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return browser;
}
export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
  page_ = null;
}

/**
 * The real device on the sim board, in real time (the page paints in real time), with a
 * real history store in a temp dir, its display bridge, and a Chromium page on the screen.
 */
export async function startScreenHarness(
  opts: {
    settings?: Partial<Settings>;
    /** Settings the owner saved before this start (in the store and applied to the device). */
    saved?: Partial<Settings>;
    board?: BoardDefinition;
    muted?: boolean;
    extraBrowserArgs?: string[];
    permissions?: string[];
    /** 'pending': a fresh data dir, so the screen opens the first-run flow (default: done). */
    firstRun?: 'pending' | 'done';
    /** What the first-run "Connect" step shows (default: the sim voice service, nothing to connect). */
    connection?: ConnectionInfo;
    /** Slower voice-service phases, so a screenshot can catch thinking and speaking at three sizes. */
    voiceTimings?: { thinkMs: number; speakMs: number };
    viewport?: { width: number; height: number };
  } = {},
): Promise<ScreenHarness> {
  const clock = new SystemClock();
  const timings = opts.voiceTimings ?? { thinkMs: 500, speakMs: 1500 };
  const voice = new ScriptableVoice({ clock, autoRespond: true, respondAfterMs: 600, ...timings });
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-e2e-'));
  if (opts.firstRun !== 'pending') writeFirstRun(dataDir, Date.now());
  const store = HistoryStore.open({ dataDir, clock });
  if (opts.saved) await store.setSettings(opts.saved);
  const { sim, wake, device } = buildSimDevice({
    clock,
    voice,
    muteStore: new MemoryMuteStore(opts.muted ?? false),
    ...(opts.board ? { board: opts.board } : {}),
    ...(opts.settings || opts.saved ? { settings: { ...opts.saved, ...opts.settings } } : {}),
  });
  const detachHistory = attachHistory(device, store, { onProblem: () => {} });
  await device.start();
  const simControls = simControlsFor(sim, { scriptedWake: wake });
  const connection = opts.connection ?? connectionFor('sim', null, { hosts: ['192.168.1.50'] });
  const setup = setupPortFor({ dataDir, connection: () => connection, configuredWakeWords: () => device.settings.wakeWords });
  const bridge = await startDisplayBridge({ device, history: historyForDisplay(store), simControls, setup });
  // Extra flags (a fake camera) need a browser of their own; otherwise one page is reused
  // across tests (a new Chromium page costs about a second; each test's bridge is a new origin).
  const own = opts.extraBrowserArgs ? await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...opts.extraBrowserArgs], headless: true }) : null;
  const context = own ? await own.newContext({ ...CONTEXT, permissions: opts.permissions ?? [] }) : null;
  const page = context ? await context.newPage() : await sharedPage();
  await page.setViewportSize(opts.viewport ?? CONTEXT.viewport);
  await page.goto(bridge.url);
  await page.waitForSelector('[data-state]');
  return {
    device, sim, voice, wake, store, dataDir, bridge, page,
    async close() {
      if (context) await context.close();
      else await page.goto('about:blank');
      await own?.close();
      await bridge.close();
      simControls.close();
      detachHistory();
      await device.stop();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the screen shows `state` (the root's data-state). */
export async function screenState(page: Page, state: string): Promise<void> {
  await page.waitForSelector(`.screen[data-state="${state}"]`, { timeout: 10_000 });
}

/**
 * `npm run screenshots` (TALLY_UPDATE_SCREENSHOTS=1 vitest run test/e2e) refreshes
 * docs/screenshots/: NAME-800x480.png, NAME-1024x600.png, NAME-1280x800.png.
 */
export async function documentState(page: Page, name: string, sizes: readonly { width: number; height: number }[] = SIZES): Promise<void> {
  if (process.env.TALLY_UPDATE_SCREENSHOTS !== '1') return;
  const original = page.viewportSize();
  for (const size of sizes) {
    await atSize(page, size);
    await screenshotAt(page, name, size);
  }
  if (original) await atSize(page, original);
}

/** One screenshot at the size the page has now (the layout test loops sizes itself). */
export async function screenshotAt(page: Page, name: string, size: { width: number; height: number }): Promise<void> {
  if (process.env.TALLY_UPDATE_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(import.meta.dirname, '../../docs/screenshots', `${name}-${size.width}x${size.height}.png`) });
}

/** Page-side paint→ack times (ms), as the screen measured them. */
export function pageAckTimes(page: Page): Promise<number[]> {
  return page.evaluate(() => (globalThis as unknown as { __tally: { metrics: { ackMs: number[] } } }).__tally.metrics.ackMs);
}
