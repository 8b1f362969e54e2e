import { connect, type Socket } from 'node:net';
import { TallyError } from '../../hal/base/errors.ts';
import { WyomingDecoder } from '../../src/voice/wyoming/decoder.ts';
import { encodeFrame } from '../../src/voice/wyoming/encoder.ts';
import type { WyomingFrame } from '../../src/voice/wyoming/frame.ts';

export interface HaClientOptions {
  host?: string;
  port: number;
  /** Bind the client to this local address (e.g. 127.0.0.2 to be "another host" on loopback). */
  localAddress?: string;
}

type Match = string | ((f: WyomingFrame) => boolean);

/** HA's probe deadline: `info` must be complete within 1 s of the TCP connect (wyoming.md §6). */
export const HA_PROBE_DEADLINE_MS = 1000;
/** HA pings 2 s after the loop starts and 2 s after each pong. */
export const HA_PING_INTERVAL_MS = 2000;

/**
 * A Home-Assistant-side Wyoming client written from the spec (wyoming.md §6–7), for tests
 * and benchmarks: probe, main connection (run-satellite → describe → loop with pings),
 * transcripts, TTS, timers, pause. It records every frame it receives and counts the mic
 * audio bytes that reach it.
 */
export class HaClient {
  readonly socket: Socket;
  readonly received: WyomingFrame[] = [];
  /** Arrival time (performance.now) of each received frame, same index as `received`. */
  readonly receivedAt: number[] = [];
  audioBytes = 0;
  closed = false;
  closedPromise: Promise<void>;
  #cursor = 0;
  #waiters: (() => void)[] = [];
  #decoder = new WyomingDecoder();
  #pingTimer: NodeJS.Timeout | null = null;
  #pinging = false;
  decodeError: TallyError | null = null;
  /** Every frame was received when? Lets the bench time the first audio chunk. */
  onFrame: ((f: WyomingFrame, at: number) => void) | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let frames: WyomingFrame[] = [];
      try {
        frames = this.#decoder.push(chunk);
      } catch (e) {
        this.decodeError = e as TallyError;
        socket.destroy();
      }
      const at = performance.now();
      for (const f of frames) {
        this.received.push(f);
        this.receivedAt.push(at);
        if (f.type === 'audio-chunk') this.audioBytes += f.payload?.byteLength ?? 0;
        if (f.type === 'pong' && this.#pinging) this.#schedulePing();
        if (f.type === 'ping') this.send('pong', { text: f.data.text ?? null });
        this.onFrame?.(f, at);
      }
      this.#wake();
    });
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        this.stopPinging();
        this.#wake();
        resolve();
      }),
    );
    socket.on('error', () => {});
  }

  static connect(opts: HaClientOptions): Promise<HaClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: opts.host ?? '127.0.0.1', port: opts.port, ...(opts.localAddress ? { localAddress: opts.localAddress } : {}) });
      socket.once('connect', () => resolve(new HaClient(socket)));
      socket.once('error', reject);
    });
  }

  /**
   * HA's probe: connect, `describe`, read until `info`, within 1 s of the TCP connect;
   * then close. Returns the info data and how long it took.
   */
  static async probe(opts: HaClientOptions): Promise<{ info: Record<string, unknown>; ms: number }> {
    const client = await HaClient.connect(opts);
    const t0 = performance.now();
    try {
      client.send('describe');
      const info = await client.next('info', HA_PROBE_DEADLINE_MS);
      return { info: info.data, ms: performance.now() - t0 };
    } finally {
      client.close();
    }
  }

  send(type: string, data?: Record<string, unknown> | null, payload?: Uint8Array | null): void {
    if (!this.closed) this.socket.write(encodeFrame({ type, data: data ?? null, payload: payload ?? null }));
  }

  sendRaw(bytes: Uint8Array | string): void {
    if (!this.closed) this.socket.write(bytes);
  }

  /** Main connection start: run-satellite, describe, wait for info; optionally start pinging. */
  async runSatellite(opts: { ping?: boolean } = {}): Promise<Record<string, unknown>> {
    this.send('run-satellite');
    this.send('describe');
    const info = await this.next('info');
    if (opts.ping) this.startPinging();
    return info.data;
  }

  startPinging(intervalMs = HA_PING_INTERVAL_MS): void {
    this.#pinging = true;
    this.#schedulePing(intervalMs);
  }

  stopPinging(): void {
    this.#pinging = false;
    if (this.#pingTimer) clearTimeout(this.#pingTimer);
    this.#pingTimer = null;
  }

  #schedulePing(intervalMs = HA_PING_INTERVAL_MS): void {
    if (this.#pingTimer) clearTimeout(this.#pingTimer);
    this.#pingTimer = setTimeout(() => this.send('ping', { text: null }), intervalMs);
    this.#pingTimer.unref();
  }

  /** Sends a TTS reply the way HA does: audio-start, 2048-byte chunks with ms timestamps, audio-stop. */
  sendTts(pcm: Buffer, rate = 22050, opts: { synthesize?: string; context?: Record<string, unknown> } = {}): void {
    if (opts.synthesize !== undefined) {
      this.send('synthesize', { text: opts.synthesize, voice: { language: 'en' }, ...(opts.context ? { context: opts.context } : {}) });
    }
    this.send('audio-start', { rate, width: 2, channels: 1, timestamp: 0 });
    let ts = 0;
    for (let off = 0; off < pcm.byteLength; off += 2048) {
      const part = pcm.subarray(off, off + 2048);
      this.send('audio-chunk', { rate, width: 2, channels: 1, timestamp: ts }, part);
      ts += Math.floor((part.byteLength / 2 / rate) * 1000);
    }
    this.send('audio-stop', { timestamp: ts });
  }

  /** Sends an announcement: TTS audio with no synthesize and no run (timestamp null on stop). */
  sendAnnouncement(pcm: Buffer, rate = 22050): void {
    this.send('audio-start', { rate, width: 2, channels: 1, timestamp: 0 });
    for (let off = 0; off < pcm.byteLength; off += 2048) {
      this.send('audio-chunk', { rate, width: 2, channels: 1, timestamp: null }, pcm.subarray(off, off + 2048));
    }
    this.send('audio-stop', { timestamp: null });
  }

  /** The next not-yet-consumed frame matching `match` (frames before it are skipped). */
  async next(match: Match, timeoutMs = 2000): Promise<WyomingFrame> {
    const pred = typeof match === 'string' ? (f: WyomingFrame) => f.type === match : match;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      while (this.#cursor < this.received.length) {
        const f = this.received[this.#cursor++]!;
        if (pred(f)) return f;
      }
      if (this.closed) throw new TallyError('HA_CLIENT_CLOSED', `connection closed while waiting for ${String(typeof match === 'string' ? match : 'frame')}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new TallyError('HA_CLIENT_TIMEOUT', `no ${typeof match === 'string' ? match : 'matching frame'} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until nothing new arrives for `quietMs` (to assert an absence). */
  async settle(quietMs = 100): Promise<void> {
    let n = -1;
    while (n !== this.received.length) {
      n = this.received.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  types(): string[] {
    return this.received.map((f) => f.type);
  }

  close(): void {
    this.stopPinging();
    this.socket.end();
    this.socket.destroy();
  }

  #wake(): void {
    const ws = this.#waiters;
    this.#waiters = [];
    for (const w of ws) w();
  }
}
