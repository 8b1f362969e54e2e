import { HalError } from '../errors.ts';
import type { PlaybackResult, Sound, TonePlayer, TonePlayerEvents } from '../tone-player.ts';
import { TypedEmitter } from '../base/typed-emitter.ts';
import type { TimerHandle } from '../base/clock.ts';
import { SimFault } from './sim-fault.ts';
import { farEndOf } from '../aec/far-end.ts';
import type { SimRecorder } from './sim-recorder.ts';

/** How long a named tone lasts in the simulation (ms of clock time). */
export const SIM_TONE_MS: Record<string, number> = {
  start: 150,
  end: 150,
  'mute-on': 200,
  'mute-off': 200,
  error: 300,
  chime: 600,
};

interface Queued {
  sound: Sound;
  resolve: (r: PlaybackResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Simulated speaker: plays one sound at a time for its duration in clock time and
 * records each start/end. PCM lasts samples / rate.
 */
export class SimTonePlayer extends TypedEmitter<TonePlayerEvents> implements TonePlayer {
  readonly name: string;
  readonly fault = new SimFault();
  #volume = 0.6;
  #queue: Queued[] = [];
  #current: (Queued & { timer: TimerHandle }) | null = null;
  #closed = false;
  readonly #rec: SimRecorder;

  constructor(rec: SimRecorder, opts: { name?: string } = {}) {
    super();
    this.#rec = rec;
    this.name = opts.name ?? 'speaker';
  }

  get playing(): boolean {
    return this.#current !== null;
  }

  get volume(): number {
    return this.#volume;
  }

  setVolume(volume: number): void {
    if (!(volume >= 0 && volume <= 1)) throw new HalError('INVALID_ARGUMENT', this.name, `volume ${volume} is outside 0..1`);
    this.#volume = volume;
  }

  play(sound: Sound): Promise<PlaybackResult> {
    if (this.#closed) return Promise.reject(new HalError('DEVICE_CLOSED', this.name, 'speaker is closed'));
    if (typeof sound !== 'string' && (sound.sampleRate < 8000 || sound.sampleRate > 48_000)) {
      return Promise.reject(new HalError('AUDIO_FORMAT', this.name, `sample rate ${sound.sampleRate} not supported`));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ sound, resolve, reject });
      if (!this.#current) this.#next();
    });
  }

  stop(): void {
    const cut = [...(this.#current ? [this.#current] : []), ...this.#queue];
    if (this.#current) {
      this.#rec.clock.clearTimeout(this.#current.timer);
      this.emit('far-end-cut', this.#rec.clock.now());
    }
    this.#current = null;
    this.#queue = [];
    for (const q of cut) {
      this.#rec.record(this.name, 'end', { sound: describe(q.sound), completed: false });
      this.emit('end', q.sound, false);
      q.resolve({ completed: false });
    }
  }

  async close(): Promise<void> {
    this.stop();
    this.#closed = true;
  }

  #next(): void {
    const q = this.#queue.shift();
    if (!q) return;
    try {
      this.fault.check(this.name, `play ${describe(q.sound)}`);
    } catch (e) {
      q.reject(e);
      this.#next();
      return;
    }
    const ms = typeof q.sound === 'string' ? (SIM_TONE_MS[q.sound] ?? 200) : (q.sound.samples.length / q.sound.channels / q.sound.sampleRate) * 1000;
    this.#rec.record(this.name, 'start', describe(q.sound));
    // The echo canceller's reference: exactly what this sound drives the speaker with.
    if (this.listenerCount('far-end') > 0) this.emit('far-end', { samples: farEndOf(q.sound, this.#volume), atMs: this.#rec.clock.now() });
    this.emit('start', q.sound);
    const timer = this.#rec.clock.setTimeout(() => {
      this.#current = null;
      this.emit('far-end-cut', this.#rec.clock.now());
      this.#rec.record(this.name, 'end', { sound: describe(q.sound), completed: true });
      this.emit('end', q.sound, true);
      q.resolve({ completed: true });
      this.#next();
    }, ms);
    this.#current = { ...q, timer };
  }
}

function describe(sound: Sound): string {
  return typeof sound === 'string' ? sound : `pcm:${sound.samples.length}@${sound.sampleRate}`;
}
