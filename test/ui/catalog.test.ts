import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCatalog } from '../../src/display/catalog/local-catalog.ts';
import { ChainedCatalog, OpenFoodFactsCatalog } from '../../src/display/catalog/open-food-facts.ts';

function fakeFetch(status: number, body: unknown, seen: string[] = []): typeof fetch {
  return (async (url: string | URL) => {
    seen.push(String(url));
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('catalogs', () => {
  it('the bundled local catalog knows its sample items and nothing else', async () => {
    const c = await LocalCatalog.fromFile();
    expect(await c.lookup('3017620422003')).toEqual([{ name: 'Nutella', brand: 'Ferrero', detail: 'Hazelnut spread, 400 g', source: 'local' }]);
    expect(await c.lookup('0000000000000')).toEqual([]);
  });

  it('a malformed catalog file is an error with a code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cat-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ '123': { brand: 'no name' } }));
    await expect(LocalCatalog.fromFile(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'CATALOG_FILE_INVALID' });
    await expect(LocalCatalog.fromFile(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'CATALOG_FILE_UNREADABLE' });
  });

  it('Open Food Facts: sends only the code, maps the product', async () => {
    const seen: string[] = [];
    const off = new OpenFoodFactsCatalog({ fetch: fakeFetch(200, { status: 1, product: { product_name: 'Nutella', brands: 'Ferrero', quantity: '400 g' } }, seen) });
    expect(await off.lookup('3017620422003')).toEqual([{ name: 'Nutella', brand: 'Ferrero', detail: '400 g', source: 'openfoodfacts' }]);
    expect(seen).toEqual(['https://world.openfoodfacts.org/api/v2/product/3017620422003.json?fields=product_name,brands,quantity']);
  });

  it('Open Food Facts: unknown product, non-numeric code, outage and odd answers', async () => {
    expect(await new OpenFoodFactsCatalog({ fetch: fakeFetch(404, {}) }).lookup('12345678')).toEqual([]);
    expect(await new OpenFoodFactsCatalog({ fetch: fakeFetch(200, { status: 0 }) }).lookup('12345678')).toEqual([]);
    const seen: string[] = [];
    expect(await new OpenFoodFactsCatalog({ fetch: fakeFetch(200, {}, seen) }).lookup('../../etc')).toEqual([]);
    expect(seen).toEqual([]);
    await expect(new OpenFoodFactsCatalog({ fetch: fakeFetch(503, {}) }).lookup('12345678')).rejects.toMatchObject({ code: 'CATALOG_UNAVAILABLE' });
    await expect(new OpenFoodFactsCatalog({ fetch: fakeFetch(200, { status: 'yes' }) }).lookup('12345678')).rejects.toMatchObject({ code: 'CATALOG_BAD_RESPONSE' });
  });

  it('a chain falls back to the local file when the online catalog is unreachable', async () => {
    const offline = new OpenFoodFactsCatalog({ fetch: (async () => { throw new TypeError('fetch failed'); }) as typeof fetch });
    const chain = new ChainedCatalog([offline, await LocalCatalog.fromFile()]);
    expect((await chain.lookup('5449000000996'))[0]!.source).toBe('local');
    expect(chain.name).toBe('openfoodfacts+local');
  });
});
