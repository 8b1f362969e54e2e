import { HalError } from '../../errors.ts';
import { TypedEmitter } from '../../base/typed-emitter.ts';
import type { PlaybackResult, Sound, TonePlayer, TonePlayerEvents } from '../../tone-player.ts';
import { assertPlayablePcm, pcmToBuffer } from './pcm.ts';
import { synthesizeTone } from './tone-synth.ts';
import { farEndOf } from '../../aec/far-end.ts';

/** The slice of the `speaker` package used here (a Writable of raw PCM); the fake matches it. */
export interface SpeakerStream {
  write(chunk: Buffer, cb: (err?: Error | null) => void): boolean;
  end(): void;
  close(flush: boolean): void;
  on(event: 'close' | 'flush' | 'error', fn: (e?: Error) => void): unknown;
}
export type SpeakerConstructor = new (opts: { channels: number; bitDepth: 16; sampleRate: number; signed: true; device?: string }) => SpeakerStream;

/** Audio is fed in slices this long, so stop() cuts within one slice plus ALSA's buffer. */
const CHUNK_MS = 40;

interface Job {
  sound: Sound;
  resolve: (r: PlaybackResult) => void;
  reject: (e: Error) => void;
}

/**
 * Tones and replies through `speaker` (libout123 → ALSA), normally hosted in a worker
 * thread (worker-speaker.ts) so its synchronous drain never blocks the main thread.
 * One output stream per sound,
 * opened at the sound's own rate and channel count: ALSA's `plug` layer (the `default`
 * device) converts to what the card supports, so no resampling happens here.
 *
 * The player never touches capture (invariant 6): it only writes to the output device.
 */
export class SpeakerTonePlayer extends TypedEmitter<TonePlayerEvents> implements TonePlayer {
  readonly #Speaker: SpeakerConstructor;
  readonly #device: string | undefined;
  readonly #name: string;
  #volume: number;
  #queue: Job[] = [];
  #current: { job: Job; stream: SpeakerStream; stopped: boolean } | undefined;
  #closed = false;

  readonly #onClose: () => Promise<void>;
  readonly #now: () => number;

  /** `onClose` releases what backs the constructor (the worker thread). */
  /** `now` must be the device clock's (the echo canceller reads the far end on it). */
  constructor(Speaker: SpeakerConstructor, opts: { device?: string; volume?: number; onClose?: () => Promise<void>; now?: () => number } = {}) {
    super();
    this.#now = opts.now ?? (() => performance.now());
    this.#onClose = opts.onClose ?? (async () => {});
    this.#Speaker = Speaker;
    this.#device = opts.device;
    this.#name = `speaker ${opts.device ?? 'default'}`;
    this.#volume = opts.volume ?? 0.8;
  }

  get playing(): boolean {
    return this.#current !== undefined;
  }

  get volume(): number {
    return this.#volume;
  }

  setVolume(volume: number): void {
    if (!Number.isFinite(volume) || volume < 0 || volume > 1) {
      throw new HalError('INVALID_ARGUMENT', this.#name, `volume ${volume} is not within 0..1`);
    }
    this.#volume = volume;
  }

  play(sound: Sound): Promise<PlaybackResult> {
    if (this.#closed) return Promise.reject(new HalError('DEVICE_CLOSED', this.#name, 'tone player is closed'));
    if (typeof sound !== 'string') {
      try {
        assertPlayablePcm(sound, this.#name);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return new Promise<PlaybackResult>((resolve, reject) => {
      this.#queue.push({ sound, resolve, reject });
      if (!this.#current) this.#next();
    });
  }

  stop(): void {
    for (const job of this.#queue.splice(0)) job.resolve({ completed: false });
    // The feeder sees the flag after its in-flight chunk and closes the device, dropping
    // what ALSA has buffered. Closing during a write would crash libout123.
    if (this.#current) {
      this.#current.stopped = true;
      this.emit('far-end-cut', this.#now());
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.stop();
    this.#closed = true;
    while (this.#current) await new Promise((r) => setImmediate(r));
    await this.#onClose();
  }

  #next(): void {
    const job = this.#queue.shift();
    if (!job) return;
    const pcm = typeof job.sound === 'string' ? synthesizeTone(job.sound) : job.sound;
    let stream: SpeakerStream;
    try {
      stream = new this.#Speaker({ channels: pcm.channels, bitDepth: 16, sampleRate: pcm.sampleRate, signed: true, ...(this.#device ? { device: this.#device } : {}) });
    } catch (cause) {
      this.#fail(job, cause);
      return this.#next();
    }
    const cur = { job, stream, stopped: false };
    this.#current = cur;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      this.#current = undefined;
      if (error !== undefined) this.#fail(job, error);
      else {
        this.emit('end', job.sound, !cur.stopped);
        job.resolve({ completed: !cur.stopped });
      }
      this.#next();
    };
    stream.on('error', (e) => finish(e ?? new Error('speaker error')));
    stream.on('close', () => finish());
    // The echo canceller's reference: what this sound drives the speaker with, from now.
    if (this.listenerCount('far-end') > 0) this.emit('far-end', { samples: farEndOf(pcm, this.#volume), atMs: this.#now() });
    this.emit('start', job.sound);
    const bytes = pcmToBuffer(pcm.samples, this.#volume);
    const chunk = Math.round(pcm.sampleRate * pcm.channels * 2 * (CHUNK_MS / 1000)) & ~3;
    const feed = (at: number) => {
      if (settled) return;
      if (cur.stopped) return stream.close(true);
      if (at >= bytes.length) return stream.end();
      stream.write(bytes.subarray(at, at + chunk), (err) => (err ? finish(err) : feed(at + chunk)));
    };
    feed(0);
  }

  #fail(job: Job, cause: unknown): void {
    const err = new HalError('DEVICE_WRITE_FAILED', this.#name, 'audio output failed', { cause });
    this.emit('error', err);
    this.emit('end', job.sound, false);
    job.reject(err);
  }
}
