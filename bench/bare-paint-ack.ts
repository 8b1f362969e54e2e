import type { Browser } from 'playwright-core';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';

/**
 * The fair floor for the screen's paint acknowledgement, in the same Chromium: a blank
 * page that, for each message from a loopback WebSocket server, waits two animation
 * frames (the first runs before the paint, the second after it) and answers. Returns the
 * in-page times (message → second frame) and the server-side round trips.
 */
export async function bareDoubleRafAcks(browser: Browser, n: number): Promise<{ page: number[]; roundTrip: number[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as { port: number }).port;
  const connected = new Promise<ServerSocket>((r) => wss.once('connection', r));
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.setContent('<!doctype html><html><body style="margin:0;background:#000"><div id="bar"></div></body></html>');
    // No named closures in here: tsx's keepNames helper does not exist in the page.
    await page.evaluate((url) => {
      const g = globalThis as unknown as { __bare: number[] };
      g.__bare = [];
      const ws = new WebSocket(url);
      ws.onmessage = (e) => {
        const t0 = performance.now();
        const bar = document.getElementById('bar')!;
        bar.style.cssText = `height:12px;background:${String(e.data).endsWith('0') ? '#0af' : '#000'}`;
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            g.__bare.push(performance.now() - t0);
            ws.send(String(e.data));
          }),
        );
      };
    }, `ws://127.0.0.1:${port}`);
    const socket = await connected;
    const roundTrip: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        socket.once('message', () => resolve());
        socket.send(String(i));
      });
      roundTrip.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5)); // same pacing as the device figure
    }
    const inPage = await page.evaluate(() => (globalThis as unknown as { __bare: number[] }).__bare.slice());
    return { page: inPage, roundTrip };
  } finally {
    await page.close();
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  }
}

/**
 * The fair floor for a request round trip from the screen to the bridge: the same
 * Chromium, a blank page, a loopback WebSocket server (ws, as the bridge uses) that
 * echoes each message; page-side times, message sent → echo received.
 */
export async function bareEchoRoundTrips(browser: Browser, n: number): Promise<number[]> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (s) => s.on('message', (m) => s.send(String(m))));
  const port = (wss.address() as { port: number }).port;
  const page = await browser.newPage();
  try {
    await page.setContent('<!doctype html><html><body></body></html>');
    return await page.evaluate(
      async ({ url, count }) => {
        const ws = new WebSocket(url);
        await new Promise((r) => ws.addEventListener('open', r, { once: true }));
        const out: number[] = [];
        let done: (() => void) | null = null;
        ws.onmessage = () => done?.();
        for (let i = 0; i < count; i++) {
          const t0 = performance.now();
          await new Promise<void>((resolve) => {
            done = resolve;
            ws.send(JSON.stringify({ type: 'request', id: i + 1, request: { op: 'get-settings' } }));
          });
          out.push(performance.now() - t0);
        }
        ws.close();
        return out;
      },
      { url: `ws://127.0.0.1:${port}`, count: n },
    );
  } finally {
    await page.close();
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  }
}
