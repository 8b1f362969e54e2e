import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { Clock } from '../../../hal/base/clock.ts';
import type { Settings } from '../../core/settings/schema.ts';
import { deviceMac, hostnameFor, type DeviceIdentity } from './device-identity.ts';
import { loadOrCreateKey } from './key-store.ts';
import { ESPHOME_DEFAULT_PORT } from './api-server.ts';
import { EsphomeSatellite } from './satellite.ts';
import { MemoryControls } from './satellite-controls.ts';

export interface CreateEsphomeOptions {
  clock: Clock;
  dataDir: string;
  settings?: Settings;
  esphomePort?: number;
  /** `--esphome-plaintext`: no key, any LAN client may connect. */
  esphomePlaintext?: boolean;
  log?: (line: string) => void;
  zeroconf?: boolean;
}

/** `tally start --voice esphome`: the satellite on 6053, Noise with the device key (made at first start). */
export function createEsphomeSatellite(opts: CreateEsphomeOptions): EsphomeSatellite {
  const log = opts.log ?? (() => {});
  const deviceId = opts.settings?.deviceId ?? 'tally';
  let psk: Uint8Array | null = null;
  if (!opts.esphomePlaintext) {
    const { key, created } = loadOrCreateKey(opts.dataDir);
    psk = key;
    if (created) log('esphome: made a new encryption key; "tally pair" shows it for Home Assistant');
  } else {
    log('esphome ESPHOME_PLAINTEXT: encryption is OFF (--esphome-plaintext); any client on the network can connect');
  }
  const wakeWords = opts.settings?.wakeWords ?? ['alexa'];
  return new EsphomeSatellite({
    identity: identityFor(deviceId),
    psk,
    // Until the device binds its own controls (start.ts), entities reflect the start settings.
    controls: new MemoryControls(true, wakeWords.map((w) => ({ id: w, label: wakePhrase(w) }))),
    port: opts.esphomePort ?? ESPHOME_DEFAULT_PORT,
    clock: opts.clock,
    log,
    zeroconf: opts.zeroconf ?? true,
    ...(opts.settings ? { maxStreamMs: Math.max(opts.settings.maxStreamMs * 2, 30_000) } : {}),
  });
}

export function identityFor(deviceId: string, interfaces = networkInterfaces()): DeviceIdentity {
  let nic = '';
  for (const addrs of Object.values(interfaces)) {
    for (const a of addrs ?? []) if (!nic && !a.internal && a.mac && a.mac !== '00:00:00:00:00:00') nic = a.mac;
  }
  return { name: hostnameFor(`tally-${deviceId}`.replace(/^tally-tally/, 'tally')), friendlyName: `Tally (${deviceId})`, mac: deviceMac(`${deviceId}|${nic}`), version: packageVersion() };
}

/** `hey_jarvis` → `Hey Jarvis`; a custom model path → its file name. */
export function wakePhrase(id: string): string {
  const base = id.split('/').pop()!.replace(/\.onnx$/, '').replace(/_v\d.*$/, '');
  return base.split(/[_\s-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
