import { publishMdns } from '../mdns-advert.ts';

/**
 * Announces `<name>._wyoming._tcp.local.` so Home Assistant discovers the satellite.
 * Optional by design: mDNS failing (no multicast, port 5353 taken, package missing)
 * is logged with a code and never stops the device — manual add by host:port still works.
 */
export interface ZeroconfAdvert {
  stop(): Promise<void>;
}

export type ZeroconfPublisher = (opts: { name: string; port: number; log: (line: string) => void }) => Promise<ZeroconfAdvert>;

export const bonjourPublisher: ZeroconfPublisher = ({ name, port, log }) =>
  publishMdns({ name, type: 'wyoming', port }, (message) => log(`wyoming: WYOMING_ZEROCONF_FAILED ${message}`));

/** Zeroconf name: the reference uses the MAC; we use the device id, which the owner chose. */
export function zeroconfName(deviceId: string): string {
  return deviceId.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63) || 'tally';
}
