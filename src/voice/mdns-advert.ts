/**
 * One mDNS advert through bonjour-service, for either satellite protocol. Optional by
 * design: a failure (no multicast, port 5353 taken, package missing) is reported through
 * `onFailure` and the advert is a no-op — the device never stops for it.
 */
export interface MdnsAdvert {
  stop(): Promise<void>;
}

interface BonjourLike {
  publish(o: { name: string; type: string; protocol: 'tcp'; port: number; txt?: Record<string, string> }): { on(ev: 'error', fn: (e: unknown) => void): void };
  unpublishAll(cb?: () => void): void;
  destroy(cb?: () => void): void;
}

const NOOP: MdnsAdvert = { stop: async () => {} };

export async function publishMdns(
  service: { name: string; type: string; port: number; txt?: Record<string, string> },
  onFailure: (message: string) => void,
): Promise<MdnsAdvert> {
  const onError = (e: unknown) => onFailure((e as Error)?.message ?? String(e));
  try {
    const mod = (await import('bonjour-service')) as unknown as { Bonjour: new (o?: object, onError?: (e: unknown) => void) => BonjourLike };
    const bonjour = new mod.Bonjour({}, onError);
    bonjour.publish({ ...service, protocol: 'tcp' }).on('error', onError);
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
    onError(e);
    return NOOP;
  }
}
