import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDisplayBridge, type DisplayBridge } from '../../src/display/bridge.ts';
import { createCatalog } from '../../src/display/catalog/create-catalog.ts';
import { asDevice, FakeDevice, MemoryHistory } from './fakes.ts';
import { originOf, TestScreen, wsUrlOf } from './ws-client.ts';

const dist = mkdtempSync(join(tmpdir(), 'tally-ui-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');

/** A stand-in for Open Food Facts on loopback that records every request it gets. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
let fake: Server;
let fakeUrl: string;
let seen: Seen[];
beforeEach(async () => {
  seen = [];
  fake = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 1, product: { product_name: 'Oat drink', brands: 'Acme' } }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
let bridge: DisplayBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  await new Promise<void>((r) => fake.close(() => r()));
});

const THUMBNAIL = `data:image/jpeg;base64,${Buffer.from('not really a jpeg but private').toString('base64')}`;

async function scanThroughTheScreen(online: boolean, code: string, openFoodFactsUrl = fakeUrl) {
  const catalog = await createCatalog({ online, openFoodFactsUrl });
  bridge = await startDisplayBridge({ device: asDevice(new FakeDevice()), history: new MemoryHistory(), distDir: dist, catalog });
  const screen = await TestScreen.open(wsUrlOf(bridge.url), originOf(bridge.url));
  await screen.next('hello');
  screen.send({ type: 'request', id: 1, request: { op: 'scan', code, format: 'ean_13', source: 'camera', image: THUMBNAIL } });
  const result = await screen.next('result', (m) => m.id === 1);
  screen.close();
  return result;
}

describe('Open Food Facts lookups (off by default; only the code is sent)', () => {
  it('off (the default): a scan makes no request at all and is answered from the local file', async () => {
    expect(await createCatalog()).toMatchObject({ name: 'local' });
    const result = await scanThroughTheScreen(false, '3017620422003');
    expect(result).toMatchObject({ ok: true, data: { results: [{ name: 'Nutella', source: 'local' }] } });
    expect(seen).toEqual([]);
  });

  it('on: exactly one GET carrying the code and nothing else of ours (no image, no token, no body, no cookie)', async () => {
    const result = await scanThroughTheScreen(true, '4006381333931');
    expect(result).toMatchObject({ ok: true, data: { results: [{ name: 'Oat drink', brand: 'Acme', source: 'openfoodfacts' }] } });
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req!.method).toBe('GET');
    expect(req!.url).toBe('/api/v2/product/4006381333931.json?fields=product_name,brands,quantity');
    expect(req!.body).toBe('');
    expect(req!.headers.cookie).toBeUndefined();
    expect(req!.headers.authorization).toBeUndefined();
    const sent = JSON.stringify(req);
    expect(sent).not.toContain('private');
    expect(sent).not.toContain(new URL(bridge!.url).searchParams.get('token')!);
    expect(Object.keys(req!.headers).filter((h) => h.startsWith('x-'))).toEqual([]);
  });

  it('on, but unreachable: the local file still answers', async () => {
    const result = await scanThroughTheScreen(true, '3017620422003', 'http://127.0.0.1:1'); // nothing listens on port 1
    expect(result).toMatchObject({ ok: true, data: { results: [{ name: 'Nutella', source: 'local' }] } });
  });
});
