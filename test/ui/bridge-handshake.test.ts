import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES, startDisplayBridge, type DisplayBridge } from '../../src/display/bridge.ts';
import { MAX_INBOUND_BYTES } from '../../src/display/protocol.ts';
import { asDevice, FakeDevice } from './fakes.ts';
import { originOf, TestScreen, wsUrlOf } from './ws-client.ts';

const dist = mkdtempSync(join(tmpdir(), 'tally-ui-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');

let device: FakeDevice;
let bridge: DisplayBridge;
beforeEach(async () => {
  device = new FakeDevice();
  bridge = await startDisplayBridge({ device: asDevice(device), distDir: dist });
});
afterEach(async () => {
  await bridge.close();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const u = new URL(bridge.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('display bridge handshake', () => {
  it('binds loopback and puts a long random token in the URL', async () => {
    const u = new URL(bridge.url);
    expect(u.hostname).toBe('127.0.0.1');
    expect(u.searchParams.get('token')!.length).toBeGreaterThanOrEqual(32);
    const other = await startDisplayBridge({ device: asDevice(new FakeDevice()), distDir: dist });
    expect(new URL(other.url).searchParams.get('token')).not.toBe(u.searchParams.get('token'));
    await other.close();
  });

  it('refuses a LAN address without the explicit flag', async () => {
    await expect(startDisplayBridge({ device: asDevice(device), host: '0.0.0.0', distDir: dist })).rejects.toMatchObject({ code: 'DISPLAY_LAN_NOT_ALLOWED' });
  });

  it('accepts the right token from its own origin and says hello with the view', async () => {
    const screen = await TestScreen.open(wsUrlOf(bridge.url), originOf(bridge.url));
    const hello = await screen.next('hello');
    expect(hello.view.version).toBe(device.view.version);
    expect(hello.board).toBe('sim');
    screen.close();
  });

  it('rejects a socket without a token', async () => {
    await expect(TestScreen.open(wsUrlOf(bridge.url, null), originOf(bridge.url))).rejects.toThrow('HTTP 401');
  });

  it('rejects a wrong token', async () => {
    const t = new URL(bridge.url).searchParams.get('token')!;
    const wrong = t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
    await expect(TestScreen.open(wsUrlOf(bridge.url, wrong), originOf(bridge.url))).rejects.toThrow('HTTP 401');
  });

  it('rejects a foreign Origin even with the right token', async () => {
    await expect(TestScreen.open(wsUrlOf(bridge.url), 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(TestScreen.open(wsUrlOf(bridge.url), `http://127.0.0.1:${bridge.port + 1}`)).rejects.toThrow('HTTP 403');
  });

  it('rejects a socket with no Origin at all', async () => {
    await expect(TestScreen.open(wsUrlOf(bridge.url), undefined)).rejects.toThrow('HTTP 403');
  });

  it('closes the socket on an oversize message', async () => {
    const screen = await TestScreen.open(wsUrlOf(bridge.url), originOf(bridge.url));
    await screen.next('hello');
    const closed = screen.closed();
    screen.send(JSON.stringify({ type: 'ack', version: 1, pad: 'x'.repeat(MAX_INBOUND_BYTES + 10) }));
    expect(await closed).toBe(CLOSE_CODES.tooBig);
  });

  it.each([
    ['not JSON', '{nope'],
    ['unknown type', { type: 'eval', code: 'x' }],
    ['bad ack', { type: 'ack', version: -1 }],
    ['unknown op', { type: 'request', id: 1, request: { op: 'shell', cmd: 'rm' } }],
    ['delete-all without confirm', { type: 'request', id: 1, request: { op: 'delete-all' } }],
  ])('closes the socket on an invalid message (%s)', async (_name, msg) => {
    const screen = await TestScreen.open(wsUrlOf(bridge.url), originOf(bridge.url));
    await screen.next('hello');
    const closed = screen.closed();
    screen.send(msg);
    expect(await closed).toBe(CLOSE_CODES.invalidMessage);
  });

  it('refuses HTTP requests with a foreign Host header (DNS rebinding)', async () => {
    expect((await get('/', { Host: `evil.example:${bridge.port}` })).status).toBe(421);
    expect((await get('/')).status).toBe(200);
  });

  it('serves pages with a strict CSP and never outside the bundle', async () => {
    const res = await get('/');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/../../package.json')).status).not.toBe(200);
    expect((await get('/%2e%2e/%2e%2e/package.json')).status).toBe(404);
  });

  it('serves the ZXing wasm from node_modules, not a CDN', async () => {
    const res = await get('/vendor/zxing_reader.wasm');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/wasm');
    expect(res.body.subarray(0, 4).toString('latin1')).toBe('\0asm');
  });
});
