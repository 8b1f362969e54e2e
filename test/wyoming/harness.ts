import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WyomingSatellite, type WyomingSatelliteOptions } from '../../src/voice/wyoming/satellite.ts';
import { HaClient } from '../support/wyoming-ha-client.ts';

/** A satellite on a free loopback port, mDNS off, pairing in a fresh temp data dir. */
export async function startSatellite(opts: Partial<WyomingSatelliteOptions> = {}) {
  const dataDir = opts.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'tally-wyoming-')) : opts.dataDir;
  const logs: string[] = [];
  const sat = new WyomingSatellite({
    name: 'Kitchen',
    area: 'Kitchen',
    wakeWords: ['alexa'],
    port: 0,
    host: '127.0.0.1',
    zeroconf: false,
    log: (l) => logs.push(l),
    ...opts,
    dataDir,
  });
  await sat.start();
  return { sat, dataDir, logs, port: sat.port };
}

/** What HA does on setup: a probe connection, then the main connection with run-satellite. */
export async function pairHa(port: number, localAddress?: string): Promise<HaClient> {
  await HaClient.probe({ port, ...(localAddress ? { localAddress } : {}) });
  const ha = await HaClient.connect({ port, ...(localAddress ? { localAddress } : {}) });
  await ha.runSatellite();
  return ha;
}

/** Resolves with the args of the next `event` the satellite emits. */
export function nextEvent<T extends unknown[]>(sat: WyomingSatellite, event: string, timeoutMs = 2000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const off = (sat as any).on(event, (...args: T) => {
      clearTimeout(t);
      off();
      resolve(args);
    });
  });
}

export function ramp(n: number, start = 0): Int16Array {
  const a = new Int16Array(n);
  for (let i = 0; i < n; i++) a[i] = (start + i) % 32768;
  return a;
}

export const ROGUE = '127.0.0.2';
