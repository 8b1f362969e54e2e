import { NOISE_PROTOCOL } from './noise-handshake.ts';

/**
 * Announces `<hostname>._esphomelib._tcp.local.` with the TXT fields Home Assistant's
 * ESPHome discovery reads (mac, friendly_name, version, api_encryption, project_*),
 * through bonjour-service like the Wyoming advert. Optional by design: a failure is a
 * coded log line, and adding the device by host:port still works.
 */
export interface EsphomeAdvert {
  stop(): Promise<void>;
}

export interface EsphomeAdvertInfo {
  name: string;
  port: number;
  txt: Record<string, string>;
  log: (line: string) => void;
}

export type EsphomeZeroconfPublisher = (info: EsphomeAdvertInfo) => Promise<EsphomeAdvert>;

const NOOP: EsphomeAdvert = { stop: async () => {} };

export function advertTxt(o: { friendlyName: string; macCompact: string; version: string; encrypted: boolean }): Record<string, string> {
  return {
    friendly_name: o.friendlyName,
    version: o.version,
    mac: o.macCompact,
    platform: 'linux',
    board: 'tally',
    network: 'ethernet',
    project_name: 'Tally.Tally',
    project_version: o.version,
    ...(o.encrypted ? { api_encryption: NOISE_PROTOCOL } : {}),
  };
}

export const bonjourEsphomePublisher: EsphomeZeroconfPublisher = async ({ name, port, txt, log }) => {
  try {
    const mod = (await import('bonjour-service')) as unknown as { Bonjour: new (o?: object, onError?: (e: unknown) => void) => BonjourLike };
    const onError = (e: unknown) => log(`esphome ESPHOME_ZEROCONF_FAILED: ${(e as Error)?.message ?? String(e)}`);
    const bonjour = new mod.Bonjour({}, onError);
    const service = bonjour.publish({ name, type: 'esphomelib', protocol: 'tcp', port, txt });
    service.on('error', onError);
    return {
      stop: () =>
        new Promise<void>((resolve) => {
          try {
            bonjour.unpublishAll(() => bonjour.destroy(() => resolve()));
          } catch {
            resolve();
          }
        }),
    };
  } catch (e) {
    log(`esphome ESPHOME_ZEROCONF_FAILED: ${(e as Error)?.message ?? String(e)}`);
    return NOOP;
  }
};

interface BonjourLike {
  publish(o: { name: string; type: string; protocol: 'tcp'; port: number; txt: Record<string, string> }): { on(ev: 'error', fn: (e: unknown) => void): void };
  unpublishAll(cb?: () => void): void;
  destroy(cb?: () => void): void;
}
