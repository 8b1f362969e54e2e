import { createServer, type Server, type Socket } from 'node:net';
import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import { SystemClock, type Clock } from '../../../hal/base/clock.ts';
import { TallyError } from '../../../hal/base/errors.ts';
import type { VoiceService, VoiceServiceEvents } from '../../core/ports/voice-service.ts';
import type { VoiceStream, VoiceStreamInfo } from '../../core/ports/voice-stream.ts';
import { WyomingConnection } from './connection.ts';
import { decodeEvent, type WyomingEvent } from './events.ts';
import type { EventData } from './fields.ts';
import type { WyomingFrame, WyomingLimits } from './frame.ts';
import { encodeInfo } from './info.ts';
import { MIC_FORMAT, WyomingMicStream } from './mic-stream.ts';
import { PairingPolicy } from './pairing-policy.ts';
import { PairingStore } from './pairing-store.ts';
import { SatelliteTimers, type SatelliteTimer } from './timers.ts';
import { ANNOUNCEMENT_LABEL, ReplyTracker, type ReplyRequest } from './reply-tracker.ts';
import { bonjourPublisher, zeroconfName, type ZeroconfAdvert, type ZeroconfPublisher } from './zeroconf.ts';

export const WYOMING_DEFAULT_PORT = 10700;

export interface WyomingSatelliteOptions {
  /** Name HA shows (satellite.name). */
  name: string;
  area?: string | null;
  /** Wake word model names; `detection.name` is one of these. */
  wakeWords: string[];
  /** TCP port; 10700 by default, 0 picks a free one (tests). */
  port?: number;
  host?: string;
  /** Where `wyoming-pairing.json` lives; null keeps pairing in memory (tests). */
  dataDir?: string | null;
  /** A pairing store to use instead of one built from dataDir. */
  pairingStore?: PairingStore;
  /** false disables mDNS (tests); a function replaces bonjour-service. */
  zeroconf?: boolean | ZeroconfPublisher;
  zeroconfName?: string;
  clock?: Clock;
  /** Codes and addresses only: never transcripts or audio. */
  log?: (line: string) => void;
  version?: string;
  language?: string;
  /** Satellite-side cap on one request's mic audio (the gate has its own, shorter one). */
  maxStreamMs?: number;
  maxConnections?: number;
  /** The main connection is dropped after this much silence while not paused (HA pings every ~2 s). */
  mainSilenceMs?: number;
  /** Any other connection is dropped after this much silence. */
  idleTimeoutMs?: number;
  limits?: Partial<WyomingLimits>;
  /** No speaker: ask HA to stop at `handle` (no TTS audio). */
  noSpeaker?: boolean;
}

export interface WyomingSatelliteEvents extends VoiceServiceEvents {
  /** A Home Assistant completed setup and is now the only client served. */
  paired: [host: string];
  /** The timer list changed (for the screen and ring). */
  timers: [timers: SatelliteTimer[]];
}

interface ActiveRequest extends ReplyRequest {
  mic: WyomingMicStream;
}

export { ANNOUNCEMENT_LABEL };
export const TIMER_LABEL = 'Timer';

/**
 * Tally as a Home Assistant voice satellite (Wyoming, satellite = TCP server).
 *
 * - Answers `describe` with a cached `info` on any connection, at once.
 * - Pairs with the first HA that completes setup (see PairingPolicy) and serves only it:
 *   everyone else gets `info` and nothing else — no audio, no control event honoured.
 * - Local wake: `openStream` sends detection (wake only) → run-pipeline asr→tts →
 *   audio-start, then the gate's writes (pre-roll first) as audio-chunks; `end`/`abort`
 *   send audio-stop at once. Transcript → `transcript` + `processing`; synthesize →
 *   `response-text`; TTS audio is buffered and handed over whole as `response-audio`;
 *   the device's `played(id)` sends `played`.
 * - Announcements (TTS with no request) get negative stream ids and may play while muted.
 * - Malformed frames close that connection with a logged code; nothing here throws into
 *   the event loop.
 */
export class WyomingSatellite extends TypedEmitter<WyomingSatelliteEvents> implements VoiceService {
  readonly label = 'Home Assistant (Wyoming)';
  readonly #opts: Required<Pick<WyomingSatelliteOptions, 'maxStreamMs' | 'maxConnections' | 'mainSilenceMs' | 'idleTimeoutMs'>> &
    WyomingSatelliteOptions;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;
  readonly #store: PairingStore;
  readonly #policy: PairingPolicy;
  readonly #timers: SatelliteTimers;
  #info: Buffer;
  readonly #identity: Parameters<typeof encodeInfo>[0];
  #server: Server | null = null;
  #port = 0;
  #advert: ZeroconfAdvert | null = null;
  #connections = new Set<WyomingConnection>();
  #nextConnId = 1;
  #main: WyomingConnection | null = null;
  #paused = false;
  #request: ActiveRequest | null = null;
  readonly #replies: ReplyTracker;
  /** Counts per close code, for tests and `tally status`-style reporting. */
  readonly closeCodes = new Map<string, number>();

  constructor(opts: WyomingSatelliteOptions) {
    super();
    if (!opts.wakeWords.length) throw new TallyError('WYOMING_NO_WAKE_WORD', 'the satellite needs at least one wake word name');
    this.#opts = { maxStreamMs: 30_000, maxConnections: 8, mainSilenceMs: 15_000, idleTimeoutMs: 10_000, ...opts };
    this.#clock = opts.clock ?? new SystemClock();
    this.#log = opts.log ?? (() => {});
    this.#store = opts.pairingStore ?? new PairingStore(opts.dataDir ?? null);
    this.#policy = new PairingPolicy(this.#store, this.#clock);
    this.#timers = new SatelliteTimers(
      this.#clock,
      (t) => this.emit('notification', 'timer', t.name ?? TIMER_LABEL),
      () => this.emit('timers', this.#timers.list()),
    );
    this.#replies = new ReplyTracker(this.#clock, {
      'response-start': (id) => this.emit('response-start', id),
      'response-audio': (id, pcm) => this.emit('response-audio', id, pcm),
      'response-end': (id) => this.emit('response-end', id),
      'follow-up-request': () => this.emit('follow-up-request'),
      announcement: () => this.emit('notification', 'announcement', ANNOUNCEMENT_LABEL),
      error: (code, id) => this.emit('error', code, id),
      done: (id) => {
        if (this.#request?.id === id) this.#request = null;
      },
    });
    this.#identity = {
      name: opts.name,
      area: opts.area ?? null,
      version: opts.version ?? '0.1.0',
      wakeWords: opts.wakeWords,
      language: opts.language ?? 'en',
    };
    this.#info = encodeInfo(this.#identity);
  }

  /**
   * The device's mute changed: every later `describe` answers with it. Wyoming has no mute
   * event and no way for HA to unmute us (pause-satellite is a separate, software pause).
   */
  reportMute(muted: boolean): void {
    this.#info = encodeInfo({ ...this.#identity, muted });
  }

  get destination(): string {
    return `wyoming://homeassistant@${this.#policy.pairedHost ?? 'unpaired'}`;
  }

  get connected(): boolean {
    return this.#main !== null && !this.#main.closed;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get port(): number {
    return this.#port;
  }

  get pairedHost(): string | null {
    return this.#policy.pairedHost;
  }

  get timers(): SatelliteTimer[] {
    return this.#timers.list();
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    const server = createServer((socket) => this.#accept(socket));
    server.maxConnections = this.#opts.maxConnections * 2; // hard backstop; #accept enforces the real limit
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) =>
        reject(
          new TallyError(e.code === 'EADDRINUSE' ? 'WYOMING_PORT_IN_USE' : 'WYOMING_LISTEN_FAILED', `cannot listen on port ${this.#opts.port ?? WYOMING_DEFAULT_PORT}: ${e.message}`, {
            cause: e,
          }),
        );
      server.once('error', onError);
      server.listen(this.#opts.port ?? WYOMING_DEFAULT_PORT, this.#opts.host ?? '0.0.0.0', () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (e) => this.#log(`wyoming: WYOMING_SERVER_ERROR ${e.message}`));
    this.#server = server;
    this.#port = (server.address() as { port: number }).port;
    this.#log(`wyoming: listening on port ${this.#port}; paired with ${this.#policy.pairedHost ?? 'nobody yet'}`);
    const zc = this.#opts.zeroconf ?? true;
    if (zc !== false) {
      const publish = typeof zc === 'function' ? zc : bonjourPublisher;
      publish({ name: this.#opts.zeroconfName ?? zeroconfName(this.#opts.name), port: this.#port, log: this.#log })
        .then((a) => {
          if (this.#server) this.#advert = a;
          else void a.stop();
        })
        .catch((e: unknown) => this.#log(`wyoming: WYOMING_ZEROCONF_FAILED ${(e as Error)?.message ?? String(e)}`));
    }
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.#timers.clear();
    await this.#advert?.stop().catch(() => {});
    this.#advert = null;
    for (const c of [...this.#connections]) c.close('WYOMING_SHUTDOWN');
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  openStream(info: VoiceStreamInfo): VoiceStream {
    const conn = this.#main;
    if (!conn || conn.closed) throw new TallyError('WYOMING_NOT_CONNECTED', 'no paired Home Assistant is connected');
    if (this.#paused) throw new TallyError('WYOMING_PAUSED', 'Home Assistant has paused this satellite');
    this.#request?.mic.close(true);
    const mic = new WyomingMicStream(conn, info.streamId, this.#opts.maxStreamMs, () => {
      this.#log(`wyoming: stream ${info.streamId} hit the ${this.#opts.maxStreamMs} ms cap (WYOMING_STREAM_CAPPED)`);
      this.emit('error', 'WYOMING_STREAM_CAPPED', info.streamId);
    });
    this.#request = { id: info.streamId, mic, cancelled: false, continueConversation: false };
    if (info.trigger === 'wake') {
      const name = info.wakeWord ?? this.#opts.wakeWords[0] ?? null;
      conn.send({ type: 'detection', name, timestamp: Math.round(this.#clock.now()), speaker: null });
    }
    conn.send({ type: 'run-pipeline', startStage: 'asr', endStage: this.#opts.noSpeaker ? 'handle' : 'tts', restartOnEnd: false });
    conn.send({ type: 'audio-start', ...MIC_FORMAT, timestamp: 0 });
    const request = this.#request;
    return {
      get egress() {
        return mic.egress;
      },
      write: (samples) => mic.write(samples),
      end: (reason) => mic.end(reason),
      abort: (reason) => {
        request.cancelled = true;
        mic.abort(reason);
      },
    };
  }

  /**
   * The device finished playing the reply: tell HA (`played`) and end the response.
   * `response-end` waits for this so the device stays "speaking" while it speaks.
   */
  played(streamId: number): void {
    this.#replies.played(streamId);
  }

  /** Barge-in: the reply was cut short; the next openStream starts a new pipeline. */
  interrupted(streamId: number): void {
    this.#replies.interrupted(streamId);
  }

  // ── connections ────────────────────────────────────────────────────────────

  #accept(socket: Socket): void {
    const conn = new WyomingConnection(this.#nextConnId++, socket, {
      clock: this.#clock,
      idleTimeoutMs: this.#opts.idleTimeoutMs,
      ...(this.#opts.limits ? { limits: this.#opts.limits } : {}),
    });
    if (this.#connections.size >= this.#opts.maxConnections) {
      const victim = this.#evictionVictim(conn);
      if (!victim) {
        this.#noteClose(conn, 'WYOMING_TOO_MANY_CONNECTIONS');
        conn.close('WYOMING_TOO_MANY_CONNECTIONS');
        return;
      }
      victim.close('WYOMING_EVICTED');
    }
    this.#connections.add(conn);
    const onFrame = this.#frameHandler(conn);
    conn.on('frame', onFrame);
    conn.on('close', (code) => {
      this.#connections.delete(conn);
      this.#noteClose(conn, code);
      if (conn === this.#main) this.#onMainLost(code ?? 'WYOMING_PEER_CLOSED');
    });
  }

  /**
   * Strangers must not be able to lock HA out by holding every slot: the paired HA evicts a
   * stranger; on an unpaired device (HA still setting up) a newcomer evicts the connection
   * that has gone longest without a complete frame (never the main connection).
   */
  #evictionVictim(newcomer: WyomingConnection): WyomingConnection | undefined {
    const others = [...this.#connections];
    if (this.#policy.isOwner(newcomer.remoteHost)) return others.find((c) => !this.#policy.isOwner(c.remoteHost));
    if (this.#policy.pairedHost !== null) return undefined;
    const candidates = others.filter((c) => c !== this.#main);
    return candidates.sort((a, b) => a.lastFrameAt - b.lastFrameAt)[0];
  }

  /** What one connection does with each frame: info for anyone, the rest only for the paired HA. */
  #frameHandler(conn: WyomingConnection): (f: WyomingFrame) => void {
    let warnedStranger = false;
    return (f) => {
      try {
        const e = decodeEvent(f);
        if (e.type === 'describe') {
          conn.sendBytes(this.#info);
          this.#policy.noteProbe(conn.remoteHost, conn.id);
          return;
        }
        if (e.type === 'run-satellite') this.#onRunSatellite(conn);
        if (!this.#policy.isOwner(conn.remoteHost)) {
          if (!warnedStranger) this.#log(`wyoming: connection ${conn.id} from ${conn.remoteHost} is not the paired Home Assistant (WYOMING_NOT_PAIRED): info only`);
          warnedStranger = true;
          return;
        }
        if (e.type === 'ping') conn.send({ type: 'pong', text: e.text });
        else if (conn === this.#main && e.type !== 'unknown') this.#onMainEvent(conn, e);
      } catch (err) {
        const code = err instanceof TallyError ? err.code : 'WYOMING_INTERNAL';
        this.#log(`wyoming: connection ${conn.id}: ${code} handling ${f.type}`);
        conn.close(code);
      }
    };
  }

  #noteClose(conn: WyomingConnection, code: string | null): void {
    if (code === null || code === 'WYOMING_SHUTDOWN') return;
    this.closeCodes.set(code, (this.closeCodes.get(code) ?? 0) + 1);
    this.#log(`wyoming: closed connection ${conn.id} from ${conn.remoteHost}: ${code}`);
  }

  #onRunSatellite(conn: WyomingConnection): void {
    const { owner, newlyPaired } = this.#policy.onRunSatellite(conn.remoteHost, conn.id);
    if (!owner) return;
    if (newlyPaired) {
      this.#log(`wyoming: paired with Home Assistant at ${conn.remoteHost}`);
      this.emit('paired', conn.remoteHost);
    }
    const old = this.#main;
    const wasConnected = this.connected;
    this.#main = conn;
    conn.setIdleTimeout(this.#paused ? 0 : this.#opts.mainSilenceMs);
    if (old && old !== conn) {
      // HA reconnected before we saw the old socket go: its run died with it.
      const cut = this.#request?.mic.open ? this.#request.id : null;
      this.#endInteraction();
      old.close('WYOMING_REPLACED');
      if (cut !== null) this.emit('error', 'WYOMING_CONNECTION_REPLACED', cut);
    }
    if (this.#paused) {
      this.#paused = false;
      conn.setIdleTimeout(this.#opts.mainSilenceMs);
      this.emit('paused', false);
    }
    if (!wasConnected) this.emit('connected');
  }

  #onMainLost(code: string): void {
    this.#main = null;
    this.#endInteraction();
    this.emit('disconnected', code);
  }

  /** Stops any mic audio and forgets the request and reply in progress. */
  #endInteraction(): void {
    this.#request?.mic.close(false);
    this.#request = null;
    this.#replies.reset();
  }

  #onMainEvent(conn: WyomingConnection, e: WyomingEvent): void {
    const req = this.#request;
    switch (e.type) {
      case 'pause-satellite':
        return this.#onPause(conn);
      case 'transcript':
        if (!req || req.cancelled) return;
        req.mic.close(false);
        if (wantsContinue(e.context)) req.continueConversation = true;
        this.emit('transcript', req.id, e.text);
        this.emit('processing', req.id);
        return;
      case 'synthesize':
        if (!req || req.cancelled) return;
        if (wantsContinue(e.context)) req.continueConversation = true;
        this.emit('response-text', req.id, e.text);
        return;
      case 'audio-start':
        return this.#replies.start(e, req, conn);
      case 'audio-chunk':
        return this.#replies.chunk(e.payload);
      case 'audio-stop':
        return this.#replies.stop(conn);
      case 'error':
        req?.mic.close(false);
        this.#request = null;
        this.emit('error', e.code || 'WYOMING_REMOTE_ERROR', req?.id ?? null);
        return;
      case 'detection':
        // HA asking the satellite to listen (continue conversation / ask a question). It is
        // only a request: the attention machine opens a follow-up window only right after a
        // reply and with follow-up mode on (invariant 3). Never while a stream is open.
        if (!req?.mic.open) this.emit('follow-up-request');
        return;
      default:
        return this.#onTimerEvent(e);
    }
  }

  #onPause(conn: WyomingConnection): void {
    const req = this.#request;
    req?.mic.close(true);
    if (req) req.cancelled = true;
    conn.setIdleTimeout(0); // HA sends nothing while paused but keeps the socket
    if (!this.#paused) {
      this.#paused = true;
      this.emit('paused', true);
    }
  }

  #onTimerEvent(e: WyomingEvent): void {
    switch (e.type) {
      case 'timer-started':
        return this.#timers.started(e.id, e.totalSeconds, e.name);
      case 'timer-updated':
        return this.#timers.updated(e.id, e.isActive, e.totalSeconds);
      case 'timer-cancelled':
        return this.#timers.cancelled(e.id);
      case 'timer-finished': {
        const t = this.#timers.finished(e.id);
        this.emit('notification', 'timer', t?.name ?? TIMER_LABEL);
        return;
      }
      default:
        // transcribe, voice-started/-stopped, pong, detect, info, played: nothing to do.
        return;
    }
  }
}

function wantsContinue(context: EventData | null): boolean {
  return context?.continue_conversation === true;
}
