import type { Catalog } from '../ports.ts';
import { LocalCatalog } from './local-catalog.ts';
import { ChainedCatalog, OpenFoodFactsCatalog } from './open-food-facts.ts';

export const OPEN_FOOD_FACTS_URL = 'https://world.openfoodfacts.org';

export interface CatalogOptions {
  /**
   * Ask Open Food Facts first (`tally start --online-catalog`). Off by default: a scanned
   * code then never leaves the device. On, only the barcode number is sent — no image,
   * no device id, no token — and the local file still answers when it cannot be reached.
   */
  online?: boolean;
  /** Where Open Food Facts is (tests point it at a local server). */
  openFoodFactsUrl?: string;
}

/** The catalog the screen's scans are looked up in. */
export async function createCatalog(opts: CatalogOptions = {}): Promise<Catalog> {
  const local = await LocalCatalog.fromFile();
  if (!opts.online) return local;
  return new ChainedCatalog([new OpenFoodFactsCatalog({ baseUrl: opts.openFoodFactsUrl ?? OPEN_FOOD_FACTS_URL }), local]);
}
