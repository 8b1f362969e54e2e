import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import { samplesToMs } from '../../hal/microphone.ts';
import type { Clock, TimerHandle } from '../../hal/base/clock.ts';
import type { VoiceService, VoiceServiceEvents } from '../core/ports/voice-service.ts';
import type { VoiceStream, VoiceStreamInfo } from '../core/ports/voice-stream.ts';

/**
 * The SIMULATED voice service — clearly labelled everywhere it appears. It answers each
 * request with a canned reply after hearing `respondAfterMs` of audio (or when the
 * stream ends), so the device can be demonstrated without Home Assistant. It records
 * every byte it receives so tests can check exactly what left the device.
 */
export interface SimStreamRecord {
  info: VoiceStreamInfo;
  chunks: Int16Array[];
  samples: number;
  openedAt: number;
  endedAt: number | null;
  end: { kind: 'end' | 'abort'; reason: string } | null;
  /** Chunks written after end/abort (must stay 0). */
  lateWrites: number;
  /** Chunks the (fault-injected) transport wrote twice. */
  duplicated: number;
}

export interface SimVoiceOptions {
  clock: Clock;
  /** Answer on its own (demo). Tests that script the service turn this off. */
  autoRespond?: boolean;
  respondAfterMs?: number;
  thinkMs?: number;
  speakMs?: number;
  connected?: boolean;
}

export class SimVoiceService extends TypedEmitter<VoiceServiceEvents> implements VoiceService {
  readonly destination = 'sim://simulated-voice-service';
  readonly label = 'SIMULATED voice service (not a real assistant)';
  readonly streams: SimStreamRecord[] = [];
  readonly #o: Required<SimVoiceOptions>;
  #connected = false;
  #timers = new Set<TimerHandle>();
  #played: number[] = [];
  #duplicateNext = false;
  #interrupted: number[] = [];

  constructor(opts: SimVoiceOptions) {
    super();
    this.#o = { autoRespond: true, respondAfterMs: 1500, thinkMs: 400, speakMs: 1500, connected: true, ...opts };
  }

  get connected(): boolean {
    return this.#connected;
  }

  get playedStreams(): readonly number[] {
    return this.#played;
  }

  /** Replies the device cut short (barge-in), in order. */
  get interruptedStreams(): readonly number[] {
    return this.#interrupted;
  }

  async start(): Promise<void> {
    if (this.#o.connected) this.connect();
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) this.#o.clock.clearTimeout(t);
    this.#timers.clear();
    this.#connected = false;
  }

  /** Script: the service says something (tests drive the conversation this way). */
  simulate<K extends keyof VoiceServiceEvents & string>(event: K, ...args: VoiceServiceEvents[K]): void {
    this.emit(event, ...args);
  }

  /** Script: the service comes (back) online. */
  connect(): void {
    if (this.#connected) return;
    this.#connected = true;
    this.emit('connected');
  }

  /** Fault injection: the transport writes the next audio chunk twice (a double write below the gate). */
  duplicateNextWrite(): void {
    this.#duplicateNext = true;
  }

  /** Script: the service goes away. */
  loseConnection(): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.emit('disconnected', 'SIM_CONNECTION_LOST');
  }

  openStream(info: VoiceStreamInfo): VoiceStream {
    if (!this.#connected) {
      throw Object.assign(new Error('simulated voice service is offline'), { code: 'VOICE_OFFLINE' });
    }
    const rec: SimStreamRecord = { info, chunks: [], samples: 0, openedAt: this.#o.clock.now(), endedAt: null, end: null, lateWrites: 0, duplicated: 0 };
    this.streams.push(rec);
    let answered = false;
    const answer = () => {
      if (answered || !this.#o.autoRespond || rec.end?.kind === 'abort') return;
      answered = true;
      this.emit('processing', info.streamId);
      this.#later(this.#o.thinkMs, () => {
        if (!this.#connected) return;
        this.emit('response-start', info.streamId);
        this.emit('response-text', info.streamId, `[SIMULATED] I heard ${(samplesToMs(rec.samples) / 1000).toFixed(1)} s of audio.`);
        this.#later(this.#o.speakMs, () => this.#connected && this.emit('response-end', info.streamId));
      });
    };
    const service = this;
    return {
      // The simulated socket: what it received is what left.
      get egress() {
        return { bytes: rec.samples * 2, closed: rec.end !== null || !service.#connected };
      },
      write: (samples) => {
        if (rec.end) {
          rec.lateWrites++;
          return;
        }
        const copies = this.#duplicateNext ? 2 : 1;
        this.#duplicateNext = false;
        if (copies === 2) rec.duplicated++;
        for (let i = 0; i < copies; i++) rec.chunks.push(samples.slice());
        rec.samples += samples.length * copies;
        if (samplesToMs(rec.samples) >= this.#o.respondAfterMs + info.preRollMs) answer();
      },
      end: (reason) => {
        if (rec.end) return;
        rec.end = { kind: 'end', reason };
        rec.endedAt = this.#o.clock.now();
        answer();
      },
      abort: (reason) => {
        if (rec.end) return;
        rec.end = { kind: 'abort', reason };
        rec.endedAt = this.#o.clock.now();
      },
    };
  }

  played(streamId: number): void {
    this.#played.push(streamId);
  }

  interrupted(streamId: number): void {
    this.#interrupted.push(streamId);
  }

  /** All audio the service received for a stream, concatenated. */
  audioOf(rec: SimStreamRecord): Int16Array {
    const out = new Int16Array(rec.samples);
    let at = 0;
    for (const c of rec.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  #later(ms: number, fn: () => void): void {
    const t = this.#o.clock.setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }
}
