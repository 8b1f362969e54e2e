// Runs in Electron's sandboxed preload (bundled to CommonJS at launch): it can reach only
// `electron`'s contextBridge and ipcRenderer. It exposes exactly one narrow function.
import type { ScreenToMain } from './channels.ts';

interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: Record<string, unknown>): void };
  ipcRenderer: { send(channel: string, ...args: unknown[]): void };
}
// A sandboxed preload has `require('electron')` only; typed here so electron's own types
// (an optional dependency) are not needed to typecheck.
declare const require: (id: 'electron') => PreloadElectron;
const { contextBridge, ipcRenderer } = require('electron');

function send<K extends keyof ScreenToMain>(channel: K, ...args: ScreenToMain[K]): void {
  ipcRenderer.send(channel, ...args);
}

contextBridge.exposeInMainWorld('tallyElectron', {
  setScanOpen: (open: boolean) => send('scan:set-open', open === true),
});
