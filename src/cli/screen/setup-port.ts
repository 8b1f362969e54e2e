import { existsSync, readdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { SetupPort } from '../../display/ports.ts';
import type { ConnectionInfo } from '../../display/protocol.ts';
import { readFirstRun, writeFirstRun } from '../../history/first-run.ts';
import { STOCK_WAKE_WORDS } from '../../wake/models.ts';
import { encodeKey, readKey } from '../../voice/esphome/key-store.ts';

/** `<dataDir>/wake-words/*.onnx`: custom wake words the owner dropped in, offered by the first run. */
export function customWakeWordDir(dataDir: string): string {
  return join(dataDir, 'wake-words');
}

/** The device's LAN addresses (IPv4 first): what Home Assistant's "Host" field wants. */
export function lanAddresses(interfaces = networkInterfaces()): string[] {
  const out: string[] = [];
  for (const addrs of Object.values(interfaces)) for (const a of addrs ?? []) if (!a.internal) out.push(a.address);
  return out.sort((a, b) => Number(a.includes(':')) - Number(b.includes(':'))).slice(0, 16);
}

export interface SetupPortOptions {
  dataDir: string;
  /** How Home Assistant reaches the device now; read on every request (the port may be chosen at listen). */
  connection(): ConnectionInfo;
  /** Wake words in the current settings (custom `.onnx` paths among them are offered too). */
  configuredWakeWords(): readonly string[];
}

/** The first-run flow's view of one data dir. A corrupt marker counts as "not done": the flow shows again. */
export function setupPortFor(opts: SetupPortOptions): SetupPort {
  return {
    completedAt() {
      try {
        return readFirstRun(opts.dataDir)?.completedAt ?? null;
      } catch {
        return null;
      }
    },
    markCompleted: (at) => writeFirstRun(opts.dataDir, at),
    wakeWords() {
      const dir = customWakeWordDir(opts.dataDir);
      const dropped = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort().map((f) => join(dir, f)) : [];
      const configured = opts.configuredWakeWords().filter((w) => w.endsWith('.onnx'));
      return { shipped: [...STOCK_WAKE_WORDS], custom: [...new Set([...configured, ...dropped])] };
    },
    connection: () => opts.connection(),
  };
}

/**
 * Connection facts for the voice service that runs: the Wyoming port, or the ESPHome port
 * with its Noise key (base64, as Home Assistant's dialog wants it; null when plaintext).
 */
export function connectionFor(voice: string, port: number | null, opts: { hosts?: string[]; esphomeKey?: string | null } = {}): ConnectionInfo {
  const hosts = opts.hosts ?? lanAddresses();
  return {
    voice,
    hosts,
    wyoming: voice === 'wyoming' && port !== null ? { port } : null,
    esphome: voice === 'esphome' && port !== null ? { port, encryptionKey: opts.esphomeKey ?? null } : null,
  };
}

/** The key the ESPHome satellite loaded at start (`<dataDir>/esphome-api-key`), as base64; null when there is none. */
export function esphomeKeyText(dataDir: string): string | null {
  const key = readKey(dataDir);
  return key ? encodeKey(key) : null;
}

/**
 * `tally start`'s first-run port: the voice service's port once it listens (0 picks one at
 * listen), and the ESPHome key only when the satellite runs encrypted.
 */
export function setupPortForDevice(device: { readonly voice: unknown; readonly settings: { wakeWords: readonly string[] } }, voiceName: string, dataDir: string): SetupPort {
  const voice = device.voice as { port?: unknown; encrypted?: unknown };
  const port = () => (typeof voice.port === 'number' ? voice.port : null);
  const connection = () => connectionFor(voiceName, port(), { esphomeKey: voice.encrypted === true ? esphomeKeyText(dataDir) : null });
  return setupPortFor({ dataDir, connection, configuredWakeWords: () => device.settings.wakeWords });
}
