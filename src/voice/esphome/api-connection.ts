import type { Socket } from 'node:net';
import type { DescMessage, MessageInitShape } from '@bufbuild/protobuf';
import { encodeMessage, type RawMessage } from './message-registry.ts';
import type { ServerFraming } from './server-framing.ts';

/**
 * One API client's socket: framing, caps and timeouts. Every way a connection ends is a
 * coded log line (`esphome CODE: reason (peer)`); nothing here throws into the server.
 * The write side is bounded too: a client that stops reading is dropped rather than
 * letting audio pile up in memory.
 */
export interface ConnectionLimits {
  /** Largest protobuf payload accepted from a client. */
  maxPayload: number;
  /** Time allowed from TCP accept to a finished handshake + HelloRequest. */
  setupTimeoutMs: number;
  /** Drop a client that has not sent anything (not even a ping reply) for this long. */
  idleTimeoutMs: number;
  /** Drop a client whose unsent bytes exceed this. */
  maxWriteBuffer: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  maxPayload: 32 * 1024,
  setupTimeoutMs: 10_000,
  idleTimeoutMs: 60_000, // HA pings every 20 s when quiet: three missed pings
  maxWriteBuffer: 1024 * 1024,
};

export type LogLine = (line: string) => void;

export class ApiConnection {
  readonly peer: string;
  readonly peerHost: string;
  private closed = false;
  private setupTimer: NodeJS.Timeout | null;
  private onMessage: (msg: RawMessage) => void = () => {};
  private onClose: (code: string) => void = () => {};

  constructor(
    private readonly socket: Socket,
    private readonly framing: ServerFraming,
    private readonly limits: ConnectionLimits,
    private readonly log: LogLine,
  ) {
    this.peerHost = socket.remoteAddress ?? 'unknown';
    this.peer = `${this.peerHost}:${socket.remotePort ?? 0}`;
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleTimeoutMs, () => this.close('ESPHOME_IDLE_TIMEOUT', 'no traffic'));
    this.setupTimer = setTimeout(() => this.close('ESPHOME_SETUP_TIMEOUT', 'no handshake/hello in time'), limits.setupTimeoutMs);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', (e) => this.close('ESPHOME_SOCKET_ERROR', (e as NodeJS.ErrnoException).code ?? e.message));
    socket.on('close', () => this.close('ESPHOME_CLIENT_CLOSED', 'client closed the connection'));
  }

  get open(): boolean {
    return !this.closed;
  }

  get encrypted(): boolean {
    return this.framing.kind === 'noise';
  }

  handle(onMessage: (msg: RawMessage) => void, onClose: (code: string) => void): void {
    this.onMessage = onMessage;
    this.onClose = onClose;
  }

  /** The setup deadline is met (hello answered); the idle timeout still applies. */
  setupDone(): void {
    if (this.setupTimer) clearTimeout(this.setupTimer);
    this.setupTimer = null;
  }

  send<S extends DescMessage>(schema: S, init: MessageInitShape<S>): boolean {
    return this.sendRaw(encodeMessage(schema, init));
  }

  sendRaw(msg: RawMessage): boolean {
    if (this.closed || !this.framing.ready) return false;
    if (this.socket.writableLength > this.limits.maxWriteBuffer) {
      this.close('ESPHOME_CLIENT_TOO_SLOW', `more than ${this.limits.maxWriteBuffer} bytes unsent`);
      return false;
    }
    this.socket.write(this.framing.encode(msg));
    return true;
  }

  close(code: string, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.setupTimer) clearTimeout(this.setupTimer);
    this.log(`esphome ${code}: ${reason} (${this.peer})`);
    this.socket.end();
    this.socket.destroySoon?.();
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.onClose(code);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    const result = this.framing.receive(chunk);
    for (const bytes of result.write) this.socket.write(bytes);
    if (result.failure) {
      this.close(result.failure.code, result.failure.reason);
      return;
    }
    for (const msg of result.messages) {
      if (this.closed) return;
      this.onMessage(msg);
    }
  }
}
