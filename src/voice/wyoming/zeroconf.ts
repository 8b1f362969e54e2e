/**
 * Announces `<name>._wyoming._tcp.local.` so Home Assistant discovers the satellite.
 * Optional by design: mDNS failing (no multicast, port 5353 taken, package missing)
 * is logged with a code and never stops the device — manual add by host:port still works.
 */
export interface ZeroconfAdvert {
  stop(): Promise<void>;
}

export type ZeroconfPublisher = (opts: { name: string; port: number; log: (line: string) => void }) => Promise<ZeroconfAdvert>;

const NOOP: ZeroconfAdvert = { stop: async () => {} };

export const bonjourPublisher: ZeroconfPublisher = async ({ name, port, log }) => {
  try {
    const mod = (await import('bonjour-service')) as unknown as { Bonjour: new (o?: object, onError?: (e: unknown) => void) => BonjourLike };
    const onError = (e: unknown) => log(`wyoming: WYOMING_ZEROCONF_FAILED ${(e as Error)?.message ?? String(e)}`);
    const bonjour = new mod.Bonjour({}, onError);
    const service = bonjour.publish({ name, type: 'wyoming', protocol: 'tcp', port });
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
    log(`wyoming: WYOMING_ZEROCONF_FAILED ${(e as Error)?.message ?? String(e)}`);
    return NOOP;
  }
};

interface BonjourLike {
  publish(o: { name: string; type: string; protocol: 'tcp'; port: number }): { on(ev: 'error', fn: (e: unknown) => void): void };
  unpublishAll(cb?: () => void): void;
  destroy(cb?: () => void): void;
}

/** Zeroconf name: the reference uses the MAC; we use the device id, which the owner chose. */
export function zeroconfName(deviceId: string): string {
  return deviceId.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63) || 'tally';
}
