import { signal, batch } from '@preact/signals';
import { serverMessageSchema, type ClientMessage, type ScreenRequest, type SimSnapshot, type WireView } from '../../src/display/protocol.ts';

/**
 * The screen's one link to the device. Every message from the device is validated with
 * the same zod schemas the device uses; anything else is dropped. Signals hold what the
 * screen shows; components read them.
 */
export const view = signal<WireView | null>(null);
/** Device clock at the moment `view` arrived, and the page time it arrived at. */
export const clockSync = signal<{ deviceNow: number; pageNow: number }>({ deviceNow: 0, pageNow: 0 });
export const hello = signal<{ board: string; sim: boolean; features: { history: boolean; scanning: boolean } } | null>(null);
export const connected = signal(false);
export const simSnapshot = signal<SimSnapshot | null>(null);
/** The owner's words and the reply, for the response card: text only, never HTML. */
export const exchange = signal<{ streamId: number; transcript: string | null; response: string | null } | null>(null);
export const problem = signal<{ code: string; message: string } | null>(null);
/** Bumped whenever the history changed (a delete or a scan), so open lists reload. */
export const historyRevision = signal(0);

export const token = new URLSearchParams(location.search).get('token') ?? '';
/** Set when the link's token is missing or not this boot's: the page says so instead of "Connecting…" forever. */
export const linkOutdated = signal(token === '');

/**
 * A WebSocket refused at the upgrade (401) looks like any other close to a page, so ask
 * an HTTP route that checks the same token: 401 there means the link is out of date.
 */
async function checkToken(): Promise<void> {
  try {
    const res = await fetch('/api/recordings/0/audio', { headers: { 'x-tally-token': token } });
    linkOutdated.value = res.status === 401;
  } catch {
    // The device is not reachable at all: keep "Connecting…" and retry.
  }
}

let socket: WebSocket | null = null;
let nextRequest = 1;
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
/** Page-side timing of paint acknowledgements, read by the e2e tests and the bench. */
export const metrics = { received: new Map<number, number>(), ackMs: [] as number[] };

export class RequestError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function post(msg: ClientMessage): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

export function request<T = unknown>(req: ScreenRequest): Promise<T> {
  const id = nextRequest++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ type: 'request', id, request: req });
  });
}

/** Called once the view with this version has been painted (two animation frames after render). */
export function acknowledgePainted(version: number): void {
  const at = metrics.received.get(version);
  if (at !== undefined) {
    metrics.ackMs.push(performance.now() - at);
    metrics.received.delete(version);
  }
  post({ type: 'ack', version });
}

function onMessage(data: string): void {
  let msg;
  try {
    msg = serverMessageSchema.parse(JSON.parse(data));
  } catch {
    return;
  }
  switch (msg.type) {
    case 'hello':
      metrics.received.set(msg.view.version, performance.now());
      batch(() => {
        hello.value = { board: msg.board, sim: msg.sim, features: msg.features };
        clockSync.value = { deviceNow: msg.clockNow, pageNow: performance.now() };
        view.value = msg.view;
      });
      break;
    case 'view':
      metrics.received.set(msg.view.version, performance.now());
      batch(() => {
        clockSync.value = { deviceNow: msg.clockNow, pageNow: performance.now() };
        view.value = msg.view;
        if (msg.view.stream && exchange.value && exchange.value.streamId !== msg.view.stream.id) exchange.value = null;
      });
      break;
    case 'transcript':
      exchange.value = { streamId: msg.streamId, transcript: msg.text, response: exchange.value?.streamId === msg.streamId ? exchange.value.response : null };
      break;
    case 'response':
      exchange.value = { streamId: msg.streamId, transcript: exchange.value?.streamId === msg.streamId ? exchange.value.transcript : null, response: msg.text };
      break;
    case 'problem': {
      // A toast: shown for a while, then gone (a lasting condition has its own banner).
      const shown = { code: msg.code, message: msg.message };
      problem.value = shown;
      setTimeout(() => {
        if (problem.value === shown) problem.value = null;
      }, 8000);
      break;
    }
    case 'sim':
      simSnapshot.value = msg.snapshot;
      break;
    case 'history-changed':
      // A deletion also takes the last reply's words off the Home card.
      batch(() => {
        historyRevision.value++;
        exchange.value = null;
      });
      break;
    case 'result': {
      const p = pending.get(msg.id);
      if (!p) break;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.data);
      else p.reject(new RequestError(msg.code ?? 'INTERNAL', msg.message ?? 'request failed'));
      break;
    }
  }
}

export function connect(): void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(url);
  socket = ws;
  let opened = false;
  ws.onopen = () => {
    opened = true;
    linkOutdated.value = false;
    connected.value = true;
  };
  ws.onmessage = (e) => onMessage(String(e.data));
  ws.onclose = () => {
    connected.value = false;
    // The simulator's relay / LED are the stopped device's last word: do not show them as current.
    simSnapshot.value = null;
    for (const p of pending.values()) p.reject(new RequestError('DISCONNECTED', 'the device connection closed'));
    pending.clear();
    if (!opened) void checkToken();
    if (socket === ws) setTimeout(connect, 1000);
  };
}
