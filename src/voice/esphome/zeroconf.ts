import { publishMdns } from '../mdns-advert.ts';
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

export const bonjourEsphomePublisher: EsphomeZeroconfPublisher = ({ name, port, txt, log }) =>
  publishMdns({ name, type: 'esphomelib', port, txt }, (message) => log(`esphome ESPHOME_ZEROCONF_FAILED: ${message}`));
