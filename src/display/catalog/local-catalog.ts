import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { TallyError } from '../../../hal/base/errors.ts';
import type { Catalog } from '../ports.ts';
import type { CatalogItem } from '../protocol.ts';
import { PACKAGE_ROOT } from '../../../hal/base/package-root.ts';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const fileSchema = z.record(
  z.string().regex(/^[0-9A-Za-z\-_.]{1,128}$/),
  z.object({ name: z.string().min(1), brand: z.string().optional(), detail: z.string().optional() }),
);

// From the package root: the build emits no JSON next to the compiled module.
export const DEFAULT_CATALOG_PATH = pathToFileURL(join(PACKAGE_ROOT, 'src/display/catalog/catalog.sample.json'));

/** The default catalog: a JSON file on the device mapping code → item. Works offline. */
export class LocalCatalog implements Catalog {
  readonly name = 'local';
  #items: Map<string, CatalogItem>;

  constructor(items: Record<string, { name: string; brand?: string; detail?: string }>) {
    this.#items = new Map(Object.entries(items).map(([code, item]) => [code, { ...item, source: 'local' }]));
  }

  static async fromFile(path: string | URL = DEFAULT_CATALOG_PATH): Promise<LocalCatalog> {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path, 'utf8'));
    } catch (cause) {
      throw new TallyError('CATALOG_FILE_UNREADABLE', `cannot read catalog file ${String(path)}`, { cause });
    }
    const parsed = fileSchema.safeParse(data);
    if (!parsed.success) throw new TallyError('CATALOG_FILE_INVALID', `catalog file ${String(path)}: ${parsed.error.issues[0]?.message}`);
    return new LocalCatalog(parsed.data);
  }

  async lookup(code: string): Promise<CatalogItem[]> {
    const item = this.#items.get(code);
    return item ? [item] : [];
  }
}
