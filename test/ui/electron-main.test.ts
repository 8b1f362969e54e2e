import { describe, expect, it } from 'vitest';
import { electronScreenConfig } from '../../electron.config.ts';
import { QUIET_SWITCHES, startScreenProcess, type PermissionDetails } from '../../ui/electron/main.ts';
import { fakeElectron } from '../support/fake-electron.ts';

const URL_ = 'http://127.0.0.1:4567/?token=abc';

async function start() {
  const f = fakeElectron();
  const proc = await startScreenProcess(f.electron, { url: URL_, preload: '/x/preload.cjs', config: electronScreenConfig({}) });
  return { f, proc };
}

describe('Electron main process (deny by default)', () => {
  it('creates an isolated, sandboxed window without Node and loads the screen URL', async () => {
    const { f } = await start();
    expect(f.windowOpts.webPreferences).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, devTools: false, preload: '/x/preload.cjs',
    });
    expect(f.loaded).toBe(URL_);
    expect(f.spellcheck).toBe(false);
    expect(f.switches).toEqual(QUIET_SWITCHES);
  });

  it('kiosk settings come from electron.config.ts', async () => {
    expect(electronScreenConfig({ TALLY_KIOSK: '1' })).toMatchObject({ kiosk: true, fullscreen: true, devTools: false });
    const { f } = await start();
    expect(f.windowOpts).toMatchObject({ kiosk: false, width: 1280, height: 800 });
  });

  it('blocks window.open and navigation away from the screen', async () => {
    const { f } = await start();
    expect((f.handlers.windowOpen as unknown as (d: { url: string }) => { action: string })({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    expect(f.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(f.navigate('will-redirect', 'http://127.0.0.1:9999/')).toBe(true);
    expect(f.navigate('will-navigate', 'http://127.0.0.1:4567/other')).toBe(false);
    expect(f.navigate('will-attach-webview', 'http://127.0.0.1:4567/')).toBe(true);
  });

  it('denies every permission; camera video only while a scan is open; never the microphone', async () => {
    const { f, proc } = await start();
    const origin = 'http://127.0.0.1:4567/';
    const video = { requestingUrl: origin, mediaTypes: ['video'] };
    expect(await f.request('media', video)).toBe(false); // no scan open
    const sender = { sender: f.webContents, senderFrame: { url: origin } };
    f.ipc['scan:set-open']!(sender, true);
    expect(proc.scanOpen).toBe(true);
    expect(await f.request('media', video)).toBe(true);
    expect(await f.request('media', { requestingUrl: origin, mediaTypes: ['audio'] })).toBe(false);
    expect(await f.request('media', { requestingUrl: origin, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(await f.request('media', { requestingUrl: origin, mediaTypes: [] })).toBe(false);
    expect(await f.request('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] })).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'midi', 'hid', 'serial', 'usb', 'fullscreen', 'openExternal']) {
      expect(await f.request(p, { requestingUrl: origin })).toBe(false);
    }
    const check = f.handlers.check as unknown as (wc: unknown, p: string, o: string, d: PermissionDetails) => boolean;
    expect(check(null, 'media', 'http://127.0.0.1:4567', { mediaTypes: ['audio'] })).toBe(false);
    expect(check(null, 'media', 'http://127.0.0.1:4567', { mediaTypes: ['video'] })).toBe(true);
    expect((f.handlers.device as unknown as () => boolean)()).toBe(false);
    f.ipc['scan:set-open']!(sender, false);
    expect(await f.request('media', video)).toBe(false);
  });

  it('validates IPC senders and arguments', async () => {
    const { f, proc } = await start();
    f.ipc['scan:set-open']!({ sender: {}, senderFrame: { url: 'http://127.0.0.1:4567/' } }, true); // another webContents
    expect(proc.scanOpen).toBe(false);
    f.ipc['scan:set-open']!({ sender: f.webContents, senderFrame: { url: 'https://evil.example/' } }, true); // foreign frame
    expect(proc.scanOpen).toBe(false);
    f.ipc['scan:set-open']!({ sender: f.webContents, senderFrame: { url: 'http://127.0.0.1:4567/' } }, 'yes'); // wrong type
    expect(proc.scanOpen).toBe(false);
    expect(Object.keys(f.ipc)).toEqual(['scan:set-open']);
  });

  it('lets the page reach only the device (no telemetry, no CDN)', async () => {
    const { f } = await start();
    const before = f.handlers.beforeRequest as unknown as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    const cancelled = (url: string) => {
      let c = false;
      before({ url }, (r) => (c = r.cancel));
      return c;
    };
    expect(cancelled('http://127.0.0.1:4567/assets/index.js')).toBe(false);
    expect(cancelled('ws://127.0.0.1:4567/ws?token=abc')).toBe(false);
    expect(cancelled('https://cdn.jsdelivr.net/npm/zxing-wasm/reader.wasm')).toBe(true);
    expect(cancelled('https://clients2.google.com/update')).toBe(true);
    expect(cancelled('http://127.0.0.1:4568/')).toBe(true);
  });

  it('quits when the window closes', async () => {
    const { f } = await start();
    (f.handlers.allClosed as unknown as () => void)();
    expect(f.quit).toBe(true);
  });
});
