import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { TallyError } from '../../hal/base/errors.ts';
import type { Device } from '../core/device-types.ts';
import { createCatalog } from './catalog/create-catalog.ts';
import { ScreenIndicator } from '../core/feedback/screen-indicator.ts';
import { serveHttp } from './http-routes.ts';
import { LaunchCodes } from './launch-codes.ts';
import type { Catalog, DisplayHistory, SimControls } from './ports.ts';
import { MAX_INBOUND_BYTES } from './protocol.ts';
import { CLOSE_CODES, ScreenSockets } from './screen-sockets.ts';
import { allowedHostHeaders, allowedOrigins, newBootToken, securityHeaders, tokenMatches } from './security.ts';
import { UI_DIST } from './ui-dist.ts';

export interface DisplayBridgeOptions {
  device: Device;
  history?: DisplayHistory;
  /** 127.0.0.1 unless told otherwise; any other address needs `allowLan`. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  allowLan?: boolean;
  simControls?: SimControls;
  /** Where scans are looked up; the local file only, unless given (see createCatalog). */
  catalog?: Catalog;
  distDir?: string;
}

export interface DisplayBridge {
  /** The screen's address, with the per-boot token. */
  readonly url: string;
  readonly port: number;
  readonly indicator: ScreenIndicator;
  /** A one-time, one-minute link for a browser the device starts (its command line is public). */
  launchUrl(): string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export { CLOSE_CODES };

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The device side of the screen: serves the built UI and one WebSocket. Bound to loopback
 * unless the owner explicitly allows the LAN; every socket must present the per-boot
 * token, come from the bridge's own origin, and keep its messages small and well-formed.
 * While at least one screen is connected, the screen is attached as an indicator, so the
 * privacy gate waits for it to paint the blue bar before the first audio byte.
 */
export async function startDisplayBridge(opts: DisplayBridgeOptions): Promise<DisplayBridge> {
  const { device } = opts;
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && !opts.allowLan) {
    throw new TallyError('DISPLAY_LAN_NOT_ALLOWED', `the screen binds to loopback only; binding ${host} needs --display-lan`, {
      validOptions: ['127.0.0.1', '::1', 'localhost'],
    });
  }
  const catalog = opts.catalog ?? (await createCatalog());
  const token = newBootToken();
  const indicator = new ScreenIndicator();
  const screens = new ScreenSockets({ device, indicator, history: opts.history, simControls: opts.simControls, catalog });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES });
  let hostHeaders = new Set<string>();
  let origins = new Set<string>();
  const launchCodes = new LaunchCodes(device.clock);
  const http = { hostHeaders: () => hostHeaders, token, history: opts.history, distDir: opts.distDir ?? UI_DIST, launchCodes };
  const server = createServer((req, res) => {
    void serveHttp(http, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, securityHeaders());
      res.end();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://screen');
    if (url.pathname !== '/ws') return reject(socket, 404, 'Not Found');
    if (!hostHeaders.has(req.headers.host ?? '')) return reject(socket, 421, 'Misdirected Request');
    if (!origins.has(req.headers.origin ?? '')) return reject(socket, 403, 'Forbidden');
    if (!tokenMatches(token, url.searchParams.get('token'))) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => screens.add(ws));
  });
  const unsubscribe = forwardDeviceEvents(device, indicator, screens, opts.simControls);
  const port = await listen(server, host, opts.port ?? 0);
  const names = LOOPBACK.has(host) ? ['127.0.0.1', 'localhost'] : [host];
  hostHeaders = allowedHostHeaders(names, port);
  origins = allowedOrigins(names, port);
  const urlHost = host.includes(':') ? `[${host}]` : host === 'localhost' ? '127.0.0.1' : host;

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    indicator,
    launchUrl: () => `http://${urlHost}:${port}/launch?code=${launchCodes.issue()}`,
    async close() {
      for (const off of unsubscribe) off();
      screens.detachIndicator();
      indicator.close();
      screens.terminateAll();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** What the device says that every screen hears. Returns the unsubscribers. */
function forwardDeviceEvents(device: Device, indicator: ScreenIndicator, screens: ScreenSockets, sim: SimControls | undefined): (() => void)[] {
  const unsubscribe = [
    device.on('change', (v) => {
      try {
        indicator.broadcast(v);
      } catch {
        // Already failed closed through render (the feedback renders before `change`).
      }
    }),
    device.on('transcript', (streamId, text) => screens.sendAll({ type: 'transcript', streamId, text })),
    device.on('response-text', (streamId, text) => screens.sendAll({ type: 'response', streamId, text })),
    device.on('problem', (code, message) => screens.sendAll({ type: 'problem', code, message })),
  ];
  if (sim) unsubscribe.push(sim.onChange(() => screens.sendAll({ type: 'sim', snapshot: sim.snapshot() })));
  return unsubscribe;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise<number>((resolve, rejectListen) => {
    server.once('error', (cause) => rejectListen(new TallyError('DISPLAY_PORT_UNAVAILABLE', `cannot listen on ${host}:${port}`, { cause })));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
