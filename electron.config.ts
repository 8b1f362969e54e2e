/**
 * The screen window when it runs in Electron. On a smart display this is a kiosk: one
 * full-screen window, no menus, no dev tools. On a laptop (development) a window.
 * `TALLY_KIOSK=1` turns kiosk mode on without editing this file.
 */
export interface ElectronScreenConfig {
  kiosk: boolean;
  fullscreen: boolean;
  width: number;
  height: number;
  backgroundColor: string;
  devTools: boolean;
  /** Hide the mouse cursor (touch screens). */
  hideCursor: boolean;
  title: string;
}

export function electronScreenConfig(env: NodeJS.ProcessEnv = process.env): ElectronScreenConfig {
  const kiosk = env.TALLY_KIOSK === '1';
  return {
    kiosk,
    fullscreen: kiosk,
    width: 1280,
    height: 800,
    backgroundColor: '#0b0f17',
    devTools: env.TALLY_SCREEN_DEVTOOLS === '1' && !kiosk,
    hideCursor: kiosk,
    title: 'Tally',
  };
}
