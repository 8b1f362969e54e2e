import { z } from 'zod';
import { TallyError } from '../../../hal/base/errors.ts';
import type { Catalog } from '../ports.ts';
import type { CatalogItem } from '../protocol.ts';

const responseSchema = z.object({
  status: z.number(),
  product: z
    .object({ product_name: z.string().optional(), brands: z.string().optional(), quantity: z.string().optional() })
    .optional(),
});

/**
 * Open Food Facts lookup, used when the owner turns it on and the device is online. Only
 * the barcode number is sent (no image, no device id); the fetch is injected so tests and
 * offline devices never touch the network.
 */
export class OpenFoodFactsCatalog implements Catalog {
  readonly name = 'openfoodfacts';
  readonly #fetch: typeof fetch;
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(opts: { fetch?: typeof fetch; baseUrl?: string; timeoutMs?: number } = {}) {
    this.#fetch = opts.fetch ?? globalThis.fetch;
    this.#base = opts.baseUrl ?? 'https://world.openfoodfacts.org';
    this.#timeoutMs = opts.timeoutMs ?? 4000;
  }

  async lookup(code: string): Promise<CatalogItem[]> {
    if (!/^\d{6,14}$/.test(code)) return []; // Open Food Facts only knows EAN/UPC numbers.
    const url = `${this.#base}/api/v2/product/${code}.json?fields=product_name,brands,quantity`;
    let body: unknown;
    try {
      const res = await this.#fetch(url, { signal: AbortSignal.timeout(this.#timeoutMs), headers: { 'User-Agent': 'Tally/0.1 (privacy-first smart display)' } });
      if (res.status === 404) return [];
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = await res.json();
    } catch (cause) {
      throw new TallyError('CATALOG_UNAVAILABLE', 'Open Food Facts could not be reached', { cause });
    }
    const parsed = responseSchema.safeParse(body);
    if (!parsed.success) throw new TallyError('CATALOG_BAD_RESPONSE', 'Open Food Facts answered with an unexpected shape');
    const p = parsed.data.product;
    if (parsed.data.status !== 1 || !p?.product_name) return [];
    return [{ name: p.product_name, ...(p.brands ? { brand: p.brands } : {}), ...(p.quantity ? { detail: p.quantity } : {}), source: this.name }];
  }
}

/** Tries catalogs in order; an unavailable one is skipped, so the local file still answers offline. */
export class ChainedCatalog implements Catalog {
  readonly name: string;
  constructor(private readonly catalogs: readonly Catalog[]) {
    this.name = catalogs.map((c) => c.name).join('+');
  }
  async lookup(code: string): Promise<CatalogItem[]> {
    for (const c of this.catalogs) {
      try {
        const found = await c.lookup(code);
        if (found.length) return found;
      } catch (e) {
        if ((e as TallyError).code !== 'CATALOG_UNAVAILABLE') throw e;
      }
    }
    return [];
  }
}
