import WebSocket from 'ws';
import type { ServerMessage } from '../../src/display/protocol.ts';

/** A test screen: connects with chosen token/origin and collects what the bridge sends. */
export class TestScreen {
  readonly messages: ServerMessage[] = [];
  #waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as ServerMessage;
      this.messages.push(msg);
      for (const w of [...this.#waiters]) if (w.pred(msg)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    });
  }

  static open(wsUrl: string, origin: string | undefined): Promise<TestScreen> {
    const ws = new WebSocket(wsUrl, origin ? { origin } : {});
    const screen = new TestScreen(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(screen));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  next<T extends ServerMessage['type']>(type: T, pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true): Promise<Extract<ServerMessage, { type: T }>> {
    const found = this.messages.find((m) => m.type === type && pred(m as Extract<ServerMessage, { type: T }>));
    if (found) return Promise.resolve(found as Extract<ServerMessage, { type: T }>);
    return new Promise((resolve) => this.#waiters.push({ pred: (m) => m.type === type && pred(m as Extract<ServerMessage, { type: T }>), resolve: resolve as (m: ServerMessage) => void }));
  }

  send(obj: unknown): void {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  closed(): Promise<number> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }

  close(): void {
    this.ws.close();
  }
}

export function wsUrlOf(screenUrl: string, token?: string | null): string {
  const u = new URL(screenUrl);
  const t = token === undefined ? u.searchParams.get('token') : token;
  return `ws://${u.host}/ws${t === null ? '' : `?token=${encodeURIComponent(t!)}`}`;
}

export function originOf(screenUrl: string): string {
  return new URL(screenUrl).origin;
}
