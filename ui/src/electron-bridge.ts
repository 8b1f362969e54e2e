/** The preload's API when the screen runs inside Electron (absent in a browser). */
interface TallyElectronApi {
  setScanOpen(open: boolean): void;
}

export function electronApi(): TallyElectronApi | null {
  return (globalThis as { tallyElectron?: TallyElectronApi }).tallyElectron ?? null;
}
