import type { Socket } from 'node:net';
import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';
import { isTallyError } from '../../../hal/base/errors.ts';
import { WyomingDecoder } from './decoder.ts';
import { encodeEvent, type WyomingEvent } from './events.ts';
import type { WyomingFrame, WyomingLimits } from './frame.ts';

export interface WyomingConnectionEvents {
  [event: string]: unknown[];
  frame: [frame: WyomingFrame];
  /** `code` says why we closed it (framing error, idle, ...); null when the peer closed. */
  close: [code: string | null];
}

export interface WyomingConnectionOptions {
  clock: Clock;
  limits?: Partial<WyomingLimits>;
  /** Close when nothing arrives for this long (0 = never). Re-armed by `setIdleTimeout`. */
  idleTimeoutMs: number;
  /** Close when the peer stops reading and this many bytes queue up (bounds our memory). */
  maxQueuedBytes?: number;
}

/**
 * One TCP connection speaking Wyoming: decodes what arrives, writes frames, and closes
 * itself at once on a framing error, an idle deadline or a peer that stops reading,
 * reporting why with a code. Never throws into the socket's event loop.
 */
export class WyomingConnection extends TypedEmitter<WyomingConnectionEvents> {
  readonly id: number;
  readonly remoteHost: string;
  readonly openedAt: number;
  #socket: Socket;
  #decoder: WyomingDecoder;
  #clock: Clock;
  #idleMs: number;
  #idleTimer: TimerHandle | undefined;
  #maxQueued: number;
  #closed = false;
  #audioBytesWritten = 0;
  #lastFrameAt: number;

  constructor(id: number, socket: Socket, opts: WyomingConnectionOptions) {
    super();
    this.id = id;
    this.#socket = socket;
    this.remoteHost = normalizeHost(socket.remoteAddress ?? '');
    this.#clock = opts.clock;
    this.openedAt = opts.clock.now();
    this.#lastFrameAt = this.openedAt;
    this.#decoder = new WyomingDecoder(opts.limits);
    this.#idleMs = opts.idleTimeoutMs;
    this.#maxQueued = opts.maxQueuedBytes ?? 4 * 1024 * 1024;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('error', () => this.close('WYOMING_SOCKET_ERROR'));
    socket.on('close', () => this.#finish(null));
    this.#armIdle();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Clock ms of the last complete frame (or of the connect): how recently it said anything. */
  get lastFrameAt(): number {
    return this.#lastFrameAt;
  }

  /** Changes the idle deadline (0 disables it), counted from now. */
  setIdleTimeout(ms: number): void {
    this.#idleMs = ms;
    this.#armIdle();
  }

  send(event: WyomingEvent): boolean {
    const written = this.sendBytes(encodeEvent(event));
    // Counted here, where the bytes go into the socket: the gate's egress cross-check.
    if (written && event.type === 'audio-chunk' && event.payload) this.#audioBytesWritten += event.payload.byteLength;
    return written;
  }

  /** Mic audio payload bytes this connection has written to its socket, ever. */
  get audioBytesWritten(): number {
    return this.#audioBytesWritten;
  }

  /** Writes pre-encoded frame bytes (the cached `info`). */
  sendBytes(bytes: Buffer): boolean {
    if (this.#closed) return false;
    if (this.#socket.writableLength + bytes.byteLength > this.#maxQueued) {
      this.close('WYOMING_PEER_NOT_READING');
      return false;
    }
    this.#socket.write(bytes);
    return true;
  }

  /** Closes the socket now (no lingering half-open state). Idempotent. */
  close(code: string | null): void {
    if (this.#closed) return;
    this.#finish(code);
    this.#socket.destroy();
  }

  #finish(code: string | null): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.clearTimeout(this.#idleTimer);
    this.emit('close', code);
  }

  #armIdle(): void {
    this.#clock.clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    if (this.#idleMs > 0 && !this.#closed) {
      this.#idleTimer = this.#clock.setTimeout(() => this.close('WYOMING_IDLE_TIMEOUT'), this.#idleMs);
    }
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    // The idle deadline is per frame, not per byte: a peer that trickles one byte a second
    // (slowloris) never completes a frame and is closed like a silent one.
    let frames: WyomingFrame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (e) {
      this.close(isTallyError(e) ? e.code : 'WYOMING_INTERNAL');
      return;
    }
    if (frames.length > 0) {
      this.#lastFrameAt = this.#clock.now();
      this.#armIdle();
    }
    for (const f of frames) {
      if (this.#closed) return;
      this.emit('frame', f);
    }
  }

  #onEnd(): void {
    try {
      this.#decoder.end();
      // The peer is done sending; let what we wrote (e.g. `info`) flush before closing.
      this.#finish(null);
      this.#socket.end();
    } catch (e) {
      this.close(isTallyError(e) ? e.code : 'WYOMING_INTERNAL');
    }
  }
}

/** `::ffff:192.0.2.5` and `192.0.2.5` are the same host. */
export function normalizeHost(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
