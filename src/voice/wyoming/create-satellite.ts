import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../hal/base/clock.ts';
import type { Settings } from '../../core/settings/schema.ts';
import { WYOMING_DEFAULT_PORT, WyomingSatellite } from './satellite.ts';
import { PACKAGE_ROOT } from '../../../hal/base/package-root.ts';

export interface CreateSatelliteOptions {
  clock: Clock;
  dataDir: string;
  wyomingPort?: number;
  settings?: Settings;
  log?: (line: string) => void;
  /** false disables mDNS (tests). */
  zeroconf?: boolean;
  /** --bind */
  bind?: string;
}

/** `tally start --voice wyoming`: the satellite named after the device, listening on 10700. */
export function createWyomingSatellite(opts: CreateSatelliteOptions): WyomingSatellite {
  const deviceId = opts.settings?.deviceId ?? 'tally';
  return new WyomingSatellite({
    name: deviceId,
    wakeWords: opts.settings?.wakeWords ?? ['alexa'],
    port: opts.wyomingPort ?? WYOMING_DEFAULT_PORT,
    dataDir: opts.dataDir,
    clock: opts.clock,
    version: packageVersion(),
    zeroconf: opts.zeroconf ?? true,
    zeroconfName: zeroconfInstanceName(deviceId),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.bind ? { host: opts.bind } : {}),
  });
}

/**
 * HA's unique id for a satellite is `<zeroconf instance>_<satellite.name>`, so the instance
 * name must be stable and unique on the LAN: like the reference satellite we use the MAC
 * (12 lowercase hex digits) of the first real interface, prefixed with the device id.
 */
export function zeroconfInstanceName(deviceId: string, interfaces = networkInterfaces()): string {
  for (const addrs of Object.values(interfaces)) {
    for (const a of addrs ?? []) {
      if (!a.internal && a.mac && a.mac !== '00:00:00:00:00:00') return `${deviceId}-${a.mac.replace(/:/g, '').toLowerCase()}`;
    }
  }
  return deviceId;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
