import type { Clock } from '../clock.ts';
import type { Settings } from '../settings/schema.ts';
import { WYOMING_DEFAULT_PORT, WyomingSatellite } from './satellite.ts';

export interface CreateSatelliteOptions {
  clock: Clock;
  dataDir: string;
  wyomingPort?: number;
  settings?: Settings;
  log?: (line: string) => void;
  /** false disables mDNS (tests). */
  zeroconf?: boolean;
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
    zeroconf: opts.zeroconf ?? true,
    zeroconfName: deviceId,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
