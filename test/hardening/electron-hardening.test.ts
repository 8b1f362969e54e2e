import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { electronScreenConfig } from '../../electron.config.ts';
import { startScreenProcess } from '../../ui/electron/main.ts';
import { SCREEN_FUSES, setScreenFuses } from '../../scripts/ui/electron-fuses.ts';
import { fakeElectron } from '../support/fake-electron.ts';

const URL_ = 'http://127.0.0.1:4567/?token=abc';

describe('Electron hardening', () => {
  it('enables the sandbox for every renderer before the app is ready', async () => {
    const f = fakeElectron();
    await startScreenProcess(f.electron, { url: URL_, preload: '/x/preload.cjs', config: electronScreenConfig({}) });
    expect(f.order.indexOf('enableSandbox')).toBeGreaterThanOrEqual(0);
    expect(f.order.indexOf('enableSandbox')).toBeLessThan(f.order.indexOf('whenReady'));
  });

  it('locks every web contents created later: no window.open, no foreign navigation, no webview', async () => {
    const f = fakeElectron();
    await startScreenProcess(f.electron, { url: URL_, preload: '/x/preload.cjs', config: electronScreenConfig({}) });
    const created = f.handlers.webContentsCreated as unknown as ((event: unknown, wc: unknown) => void) | undefined;
    expect(created).toBeTypeOf('function');
    const events: Record<string, (e: { preventDefault(): void; url?: string }, url?: string) => void> = {};
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    created!({}, { setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h), on: (ev: string, h: (typeof events)[string]) => (events[ev] = h) });
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const prevented = (ev: string, url: string) => {
      let p = false;
      events[ev]!({ preventDefault: () => (p = true), url }, url);
      return p;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', 'http://127.0.0.1:4567/other')).toBe(false);
    expect(prevented('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-attach-webview', 'http://127.0.0.1:4567/')).toBe(true);
  });

  it('flips the fuses that would turn the screen binary into a general Node.js', async () => {
    const calls: [string, unknown][] = [];
    await setScreenFuses('/opt/electron/electron', async (binary, config) => calls.push([binary, config]));
    expect(calls).toHaveLength(1);
    const [binary, config] = calls[0]! as [string, Record<number, boolean>];
    expect(binary).toBe('/opt/electron/electron');
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(config).toBe(SCREEN_FUSES);
  });
});
