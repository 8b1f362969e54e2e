import type { ElectronLike, IpcMainEventLike, PermissionDetails, WebPreferences } from '../../ui/electron/main.ts';

/** A fake of the few Electron APIs the main process uses, recording what it was given. */
export function fakeElectron() {
  const handlers: Record<string, (...a: never[]) => unknown> = {};
  const wcEvents: Record<string, (event: { preventDefault(): void; url?: string }, url?: string) => void> = {};
  const ipc: Record<string, (event: IpcMainEventLike, ...args: unknown[]) => void> = {};
  const switches: string[] = [];
  let windowOpts: (Record<string, unknown> & { webPreferences: WebPreferences }) | null = null;
  let loaded = '';
  let spellcheck: boolean | null = null;
  let quit = false;
  const order: string[] = [];
  const webContents = {
    session: {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
      setSpellCheckerEnabled: (on: boolean) => (spellcheck = on),
      webRequest: { onBeforeRequest: (h: never) => (handlers.beforeRequest = h) },
    },
    setWindowOpenHandler: (h: never) => (handlers.windowOpen = h),
    on: (event: string, h: (typeof wcEvents)[string]) => (wcEvents[event] = h),
  };
  const electron: ElectronLike = {
    app: {
      whenReady: async () => {
        order.push('whenReady');
      },
      enableSandbox: () => order.push('enableSandbox'),
      on: (event, h) => {
        if (event === 'window-all-closed') handlers.allClosed = h as never;
        if (event === 'web-contents-created') handlers.webContentsCreated = h as never;
      },
      quit: () => (quit = true),
      commandLine: { appendSwitch: (name, value) => switches.push(value === undefined ? name : `${name}=${value}`) },
    },
    BrowserWindow: class {
      webContents = webContents;
      constructor(opts: Record<string, unknown> & { webPreferences: WebPreferences }) {
        windowOpts = opts;
      }
      async loadURL(url: string) {
        loaded = url;
      }
      removeMenu() {}
      on() {}
    } as unknown as ElectronLike['BrowserWindow'],
    ipcMain: { on: (channel, h) => (ipc[channel] = h) },
  };
  const request = (permission: string, details: PermissionDetails) =>
    new Promise<boolean>((resolve) => (handlers.request as unknown as (wc: unknown, p: string, cb: (g: boolean) => void, d: PermissionDetails) => void)(webContents, permission, resolve, details));
  const navigate = (event: string, url: string) => {
    let prevented = false;
    wcEvents[event]!({ preventDefault: () => (prevented = true), url }, url);
    return prevented;
  };
  return {
    electron, webContents, handlers, ipc, switches, request, navigate, order,
    get windowOpts() { return windowOpts!; },
    get loaded() { return loaded; },
    get spellcheck() { return spellcheck; },
    get quit() { return quit; },
  };
}

