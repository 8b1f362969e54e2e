import type { ElectronScreenConfig } from '../../electron.config.ts';
import { CHANNEL_VALIDATORS, type ChannelName } from './channels.ts';

/**
 * Electron's main process for the screen: deny by default. It is written against the
 * few Electron APIs it uses (below), so tests drive it with a fake and check every
 * security option without Electron installed.
 */
export interface WebPreferences {
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  webviewTag: boolean;
  spellcheck: boolean;
  devTools: boolean;
  navigateOnDragDrop: boolean;
  safeDialogs: boolean;
  preload: string;
}

export interface PermissionDetails {
  requestingUrl?: string;
  mediaTypes?: string[];
  securityOrigin?: string;
}

export interface SessionLike {
  setPermissionRequestHandler(h: (wc: unknown, permission: string, callback: (granted: boolean) => void, details: PermissionDetails) => void): void;
  setPermissionCheckHandler(h: (wc: unknown, permission: string, origin: string, details: PermissionDetails) => boolean): void;
  setDevicePermissionHandler(h: (details: unknown) => boolean): void;
  setSpellCheckerEnabled(enabled: boolean): void;
  webRequest: {
    onBeforeRequest(h: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void): void;
  };
}

export interface WebContentsLike {
  session: SessionLike;
  setWindowOpenHandler(h: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview' | 'will-frame-navigate', h: (event: { preventDefault(): void; url?: string }, url?: string) => void): void;
}

export interface BrowserWindowLike {
  webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  removeMenu(): void;
  on(event: 'closed', h: () => void): void;
}

export interface IpcMainEventLike {
  sender: unknown;
  senderFrame: { url: string } | null;
}

export interface ElectronLike {
  app: {
    whenReady(): Promise<void>;
    on(event: 'window-all-closed' | 'web-contents-created', h: (...args: unknown[]) => void): void;
    quit(): void;
    /** Sandboxes every renderer, including any the app did not create itself. */
    enableSandbox(): void;
    commandLine: { appendSwitch(name: string, value?: string): void };
  };
  BrowserWindow: new (opts: Record<string, unknown> & { webPreferences: WebPreferences }) => BrowserWindowLike;
  ipcMain: { on(channel: string, h: (event: IpcMainEventLike, ...args: unknown[]) => void): void };
}

export interface ScreenProcess {
  window: BrowserWindowLike;
  /** True while the scan panel has the camera open (the only time it may be granted). */
  readonly scanOpen: boolean;
}

/** Chromium switches that keep Electron from phoning home (no telemetry, no update pings). */
export const QUIET_SWITCHES = ['disable-background-networking', 'disable-component-update', 'disable-domain-reliability', 'disable-breakpad', 'no-pings', 'disable-features=MediaRouter,OptimizationHints,Translate,AutofillServerCommunication'];

export function sameOrigin(url: string | undefined, origin: string): boolean {
  if (!url) return false;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** No new windows, no navigation off the screen's origin, no webviews. */
export function lockWebContents(wc: Pick<WebContentsLike, 'setWindowOpenHandler' | 'on'>, origin: string): void {
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  const blockForeign = (event: { preventDefault(): void; url?: string }, url?: string) => {
    if (!sameOrigin(url ?? event.url, origin)) event.preventDefault();
  };
  wc.on('will-navigate', blockForeign);
  wc.on('will-redirect', blockForeign);
  wc.on('will-frame-navigate', blockForeign);
  wc.on('will-attach-webview', (event) => event.preventDefault());
}

export async function startScreenProcess(electron: ElectronLike, opts: { url: string; preload: string; config: ElectronScreenConfig }): Promise<ScreenProcess> {
  const { app, BrowserWindow, ipcMain } = electron;
  const origin = new URL(opts.url).origin;
  for (const sw of QUIET_SWITCHES) {
    const [name, value] = sw.split('=');
    if (value === undefined) app.commandLine.appendSwitch(name!);
    else app.commandLine.appendSwitch(name!, value);
  }
  // Before ready, as Electron requires: every renderer is sandboxed, whoever creates it.
  app.enableSandbox();
  app.on('window-all-closed', () => app.quit());
  // Any web contents (a window, a webview, a devtools page) gets the same locks as ours.
  app.on('web-contents-created', (...args: unknown[]) => lockWebContents(args[1] as WebContentsLike, origin));
  await app.whenReady();

  let scanOpen = false;
  const win = new BrowserWindow({
    width: opts.config.width,
    height: opts.config.height,
    kiosk: opts.config.kiosk,
    fullscreen: opts.config.fullscreen,
    backgroundColor: opts.config.backgroundColor,
    title: opts.config.title,
    autoHideMenuBar: true,
    show: true,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: opts.config.devTools,
      navigateOnDragDrop: false,
      safeDialogs: true,
      preload: opts.preload,
    },
  });
  win.removeMenu();
  const wc = win.webContents;
  const ses = wc.session;

  // Camera video for a scan the owner opened, from the screen's own page; nothing else, ever.
  const allowed = (permission: string, details: PermissionDetails, origin_: string | undefined) =>
    permission === 'media' &&
    scanOpen &&
    sameOrigin(origin_ ?? details.requestingUrl ?? details.securityOrigin, origin) &&
    Array.isArray(details.mediaTypes) &&
    details.mediaTypes.length > 0 &&
    details.mediaTypes.every((t) => t === 'video');
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(allowed(permission, details, details.requestingUrl)));
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    // Checks carry no media types; only "may this origin use media" while a scan is open.
    permission === 'media' && scanOpen && sameOrigin(requestingOrigin, origin) && (details.mediaTypes ?? ['video']).every((t) => t === 'video'),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.setSpellCheckerEnabled(false); // the spellchecker downloads dictionaries from Google
  // The screen talks to the device and nothing else.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const u = details.url;
    const ok = sameOrigin(u, origin) || sameOrigin(u.replace(/^ws/, 'http'), origin) || u.startsWith('blob:') || u.startsWith('data:') || u.startsWith('devtools:');
    callback({ cancel: !ok });
  });

  lockWebContents(wc, origin);

  for (const channel of Object.keys(CHANNEL_VALIDATORS) as ChannelName[]) {
    ipcMain.on(channel, (event, ...args) => {
      // Only our window's top frame, on the screen's origin, with well-typed arguments.
      if (event.sender !== wc || !sameOrigin(event.senderFrame?.url, origin)) return;
      if (!CHANNEL_VALIDATORS[channel](args)) return;
      if (channel === 'scan:set-open') scanOpen = args[0] as boolean;
    });
  }

  await win.loadURL(opts.url);
  return {
    window: win,
    get scanOpen() {
      return scanOpen;
    },
  };
}
