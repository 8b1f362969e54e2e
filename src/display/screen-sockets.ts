import type { WebSocket } from 'ws';
import { TallyError } from '../../hal/base/errors.ts';
import type { Device } from '../core/device-types.ts';
import type { ScreenIndicator } from '../core/feedback/screen-indicator.ts';
import type { Catalog, DisplayHistory, SimControls } from './ports.ts';
import { clientMessageSchema, serverMessageSchema, type ScreenRequest, type ServerMessage } from './protocol.ts';
import { handleRequest } from './request-handler.ts';
import { LIMIT_CLOSE_CODES, ScreenRequestQueue, SCREEN_LIMITS } from './screen-limits.ts';

/** WebSocket close codes the screen (and tests) can tell apart. */
export const CLOSE_CODES = { invalidMessage: 1008, tooBig: 1009 } as const;

export interface ScreenSocketsContext {
  device: Device;
  indicator: ScreenIndicator;
  history: DisplayHistory | undefined;
  simControls: SimControls | undefined;
  catalog: Catalog;
}

/**
 * The connected screens: each socket is one indicator screen (it must ack each view), and
 * while at least one is connected the screen indicator is attached to the device, so the
 * privacy gate waits for it before the first audio byte.
 */
export class ScreenSockets {
  readonly #ctx: ScreenSocketsContext;
  readonly #sockets = new Map<string, WebSocket>();
  readonly #queues = new Map<string, ScreenRequestQueue>();
  #nextScreen = 1;
  #detachIndicator: (() => void) | null = null;

  constructor(ctx: ScreenSocketsContext) {
    this.#ctx = ctx;
  }

  /** Validated before it leaves; a malformed message is dropped (never crashes the device). */
  send(ws: WebSocket, msg: ServerMessage): boolean {
    const checked = serverMessageSchema.safeParse(msg);
    if (!checked.success) return false;
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(checked.data));
    return true;
  }

  sendAll(msg: ServerMessage): void {
    for (const ws of this.#sockets.values()) this.send(ws, msg);
  }

  /** A screen passed the upgrade checks. */
  add(ws: WebSocket): void {
    const { device, indicator, simControls, history } = this.#ctx;
    // Protocol errors (an oversize frame) close the socket with a code; 'close' cleans up.
    ws.on('error', () => ws.terminate());
    if (this.#sockets.size >= SCREEN_LIMITS.maxScreens) {
      ws.close(LIMIT_CLOSE_CODES.tooManyScreens, `at most ${SCREEN_LIMITS.maxScreens} screens`);
      return;
    }
    const id = `screen-${this.#nextScreen++}`;
    this.#sockets.set(id, ws);
    this.#queues.set(id, new ScreenRequestQueue());
    const v = device.view;
    indicator.addScreen(
      id,
      (next) => {
        // A view the screen cannot be sent cannot be shown: the render rejects (fail closed).
        if (!this.send(ws, { type: 'view', view: next, clockNow: device.clock.now() })) throw new TallyError('SCREEN_VIEW_INVALID', `view ${next.version} failed the display protocol`);
      },
      v.version,
    );
    this.send(ws, {
      type: 'hello',
      board: device.boardName,
      sim: Boolean(simControls),
      features: { history: Boolean(history), scanning: true },
      view: v,
      clockNow: device.clock.now(),
    });
    if (simControls) this.send(ws, { type: 'sim', snapshot: simControls.snapshot() });
    if (!this.#detachIndicator) this.#detachIndicator = device.attachIndicator(indicator);
    ws.on('message', (data, isBinary) => this.#onMessage(id, ws, data.toString(), isBinary));
    ws.on('close', () => this.#remove(id));
  }

  #onMessage(id: string, ws: WebSocket, text: string, isBinary: boolean): void {
    let msg;
    try {
      if (isBinary) throw new Error('binary');
      msg = clientMessageSchema.parse(JSON.parse(text));
    } catch {
      ws.close(CLOSE_CODES.invalidMessage, 'invalid message');
      return;
    }
    if (msg.type === 'ack') {
      this.#ctx.indicator.ack(id, msg.version);
      return;
    }
    const request = msg.request;
    const reqId = msg.id;
    // The mute never waits behind screen work: it is carried out on arrival.
    if (request.op === 'press' && request.button === 'mute') {
      void this.#answer(ws, reqId, request);
      return;
    }
    const queued = this.#queues.get(id)?.offer(() => this.#answer(ws, reqId, request));
    if (queued === false) ws.close(LIMIT_CLOSE_CODES.flooding, 'too many requests');
  }

  async #answer(ws: WebSocket, reqId: number, request: ScreenRequest): Promise<void> {
    const { device, history, simControls: sim, catalog } = this.#ctx;
    try {
      const data = await handleRequest({ device, history, sim, catalog, historyChanged: () => this.sendAll({ type: 'history-changed' }) }, request);
      this.send(ws, { type: 'result', id: reqId, ok: true, data: data ?? null });
    } catch (e) {
      const err = e as TallyError;
      this.send(ws, { type: 'result', id: reqId, ok: false, code: err.code ?? 'INTERNAL', message: err.code ? err.message : 'request failed' });
    }
  }

  #remove(id: string): void {
    if (!this.#sockets.delete(id)) return;
    this.#queues.get(id)?.close();
    this.#queues.delete(id);
    this.#ctx.indicator.removeScreen(id);
    if (this.#sockets.size === 0) this.detachIndicator();
  }

  detachIndicator(): void {
    this.#detachIndicator?.();
    this.#detachIndicator = null;
  }

  /** Bridge shutdown: drop every screen. */
  terminateAll(): void {
    for (const ws of this.#sockets.values()) ws.terminate();
  }
}
