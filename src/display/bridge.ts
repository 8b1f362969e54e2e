import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { TallyError } from '../../hal/base/errors.ts';
import type { Device } from '../core/device-types.ts';
import { LocalCatalog } from './catalog/local-catalog.ts';
import type { Catalog, DisplayHistory, SetupPort, SimControls } from './ports.ts';
import { MuteLog } from './owner/mute-log.ts';
import { clientMessageSchema, MAX_INBOUND_BYTES, serverMessageSchema, type ServerMessage } from './protocol.ts';
import { handleRequest } from './request-handler.ts';
import { ScreenIndicator } from '../core/feedback/screen-indicator.ts';
import { allowedHostHeaders, allowedOrigins, newBootToken, securityHeaders, tokenMatches } from './security.ts';
import { readStatic } from './static-files.ts';
import { UI_DIST } from './ui-dist.ts';
import { encodeWavBuffer } from '../../hal/base/wav.ts';

export interface DisplayBridgeOptions {
  device: Device;
  history?: DisplayHistory;
  /** 127.0.0.1 unless told otherwise; any other address needs `allowLan`. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  allowLan?: boolean;
  simControls?: SimControls;
  catalog?: Catalog;
  distDir?: string;
  /** First-run state and how Home Assistant connects; without it the screen shows no first-run flow. */
  setup?: SetupPort;
}

export interface DisplayBridge {
  /** The screen's address, with the per-boot token. */
  readonly url: string;
  readonly port: number;
  readonly indicator: ScreenIndicator;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** WebSocket close codes the screen (and tests) can tell apart. */
export const CLOSE_CODES = { invalidMessage: 1008, tooBig: 1009 } as const;

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
  const distDir = opts.distDir ?? UI_DIST;
  const catalog = opts.catalog ?? (await LocalCatalog.fromFile());
  const token = newBootToken();
  const indicator = new ScreenIndicator();
  const mutes = new MuteLog(() => device.clock.wallNow());
  mutes.observe(device.view.muted);
  const sockets = new Map<string, WebSocket>();
  let nextScreen = 1;
  let detachIndicator: (() => void) | null = null;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES });

  /** Validated before it leaves; a malformed message is dropped (never crashes the device). */
  function send(ws: WebSocket, msg: ServerMessage): boolean {
    const checked = serverMessageSchema.safeParse(msg);
    if (!checked.success) return false;
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(checked.data));
    return true;
  }
  function sendAll(msg: ServerMessage): void {
    for (const ws of sockets.values()) send(ws, msg);
  }

  const server = createServer((req, res) => {
    void serveHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, securityHeaders());
      res.end();
    });
  });
  let hostHeaders = new Set<string>();
  let origins = new Set<string>();

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = securityHeaders();
    if (!hostHeaders.has(req.headers.host ?? '')) {
      res.writeHead(421, headers).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://screen');
    const audio = /^\/api\/recordings\/([^/]{1,128})\/audio$/.exec(url.pathname);
    if (audio) {
      // Not a URL parameter: a token in a URL could end up in logs; the screen sends a header.
      if (!tokenMatches(token, req.headers['x-tally-token'] as string | undefined)) {
        res.writeHead(401, headers).end();
        return;
      }
      if (!opts.history) {
        res.writeHead(404, headers).end();
        return;
      }
      let pcm: Int16Array;
      try {
        pcm = await opts.history.getRecordingAudio(decodeURIComponent(audio[1]!));
      } catch {
        res.writeHead(404, headers).end();
        return;
      }
      const body = encodeWavBuffer(pcm);
      res.writeHead(200, { ...headers, 'Content-Type': 'audio/wav', 'Content-Length': body.length }).end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const file = await readStatic(distDir, url.pathname);
    if (!file) {
      res.writeHead(404, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.type, 'Content-Length': file.body.length }).end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://screen');
    if (url.pathname !== '/ws') return reject(socket, 404, 'Not Found');
    if (!hostHeaders.has(req.headers.host ?? '')) return reject(socket, 421, 'Misdirected Request');
    if (!origins.has(req.headers.origin ?? '')) return reject(socket, 403, 'Forbidden');
    if (!tokenMatches(token, url.searchParams.get('token'))) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => onScreen(ws));
  });

  function onScreen(ws: WebSocket): void {
    const id = `screen-${nextScreen++}`;
    sockets.set(id, ws);
    // Protocol errors (an oversize frame) close the socket with a code; 'close' cleans up.
    ws.on('error', () => ws.terminate());
    const v = device.view;
    indicator.addScreen(
      id,
      (next) => {
        // A view the screen cannot be sent cannot be shown: the render rejects (fail closed).
        if (!send(ws, { type: 'view', view: next, clockNow: device.clock.now() })) throw new TallyError('SCREEN_VIEW_INVALID', `view ${next.version} failed the display protocol`);
      },
      v.version,
    );
    send(ws, {
      type: 'hello',
      board: device.boardName,
      sim: Boolean(opts.simControls),
      features: { history: Boolean(opts.history), scanning: true },
      view: v,
      clockNow: device.clock.now(),
    });
    if (opts.simControls) send(ws, { type: 'sim', snapshot: opts.simControls.snapshot() });
    if (!detachIndicator) detachIndicator = device.attachIndicator(indicator);

    ws.on('message', (data, isBinary) => {
      let msg;
      try {
        if (isBinary) throw new Error('binary');
        msg = clientMessageSchema.parse(JSON.parse(data.toString()));
      } catch {
        ws.close(CLOSE_CODES.invalidMessage, 'invalid message');
        return;
      }
      if (msg.type === 'ack') {
        indicator.ack(id, msg.version);
        return;
      }
      const reqId = msg.id;
      handleRequest({ device, history: opts.history, sim: opts.simControls, catalog, setup: opts.setup, mutes, historyChanged: () => sendAll({ type: 'history-changed' }) }, msg.request).then(
        (data) => send(ws, { type: 'result', id: reqId, ok: true, data: data ?? null }),
        (e: unknown) => {
          const err = e as TallyError;
          send(ws, { type: 'result', id: reqId, ok: false, code: err.code ?? 'INTERNAL', message: err.code ? err.message : 'request failed' });
        },
      );
    });
    ws.on('close', () => {
      sockets.delete(id);
      indicator.removeScreen(id);
      if (sockets.size === 0 && detachIndicator) {
        detachIndicator();
        detachIndicator = null;
      }
    });
  }

  const unsubscribe = [
    device.on('change', (v) => {
      mutes.observe(v.muted);
      try {
        indicator.broadcast(v);
      } catch {
        // Already failed closed through render (the feedback renders before `change`).
      }
    }),
    device.on('transcript', (streamId, text) => sendAll({ type: 'transcript', streamId, text })),
    device.on('response-text', (streamId, text) => sendAll({ type: 'response', streamId, text })),
    device.on('problem', (code, message) => sendAll({ type: 'problem', code, message })),
  ];
  if (opts.simControls) {
    const sim = opts.simControls;
    unsubscribe.push(sim.onChange(() => sendAll({ type: 'sim', snapshot: sim.snapshot() })));
  }

  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', (cause) => rejectListen(new TallyError('DISPLAY_PORT_UNAVAILABLE', `cannot listen on ${host}:${opts.port ?? 0}`, { cause })));
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const names = LOOPBACK.has(host) ? ['127.0.0.1', 'localhost'] : [host];
  hostHeaders = allowedHostHeaders(names, port);
  origins = allowedOrigins(names, port);
  const urlHost = host.includes(':') ? `[${host}]` : host === 'localhost' ? '127.0.0.1' : host;

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    indicator,
    async close() {
      for (const off of unsubscribe) off();
      detachIndicator?.();
      detachIndicator = null;
      indicator.close();
      for (const ws of sockets.values()) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
