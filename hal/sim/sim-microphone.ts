import { HalError } from '../errors.ts';
import { DEFAULT_FRAME_SAMPLES, MIC_SAMPLE_RATE, type Microphone, type MicrophoneEvents } from '../microphone.ts';
import { TypedEmitter } from '../base/typed-emitter.ts';
import type { TimerHandle } from '../base/clock.ts';
import { readWavAs16kMono } from '../base/wav.ts';
import { SimFault } from './sim-fault.ts';
import type { SimRecorder } from './sim-recorder.ts';

/**
 * Simulated microphone. Tests `feed` PCM (or a WAV, optionally at real-time pace on the
 * clock); it comes out as `frameSamples`-sized frames while the mic is open AND powered.
 * Audio fed while closed or unpowered is dropped, as sound in a room with a dead mic is.
 */
export class SimMicrophone extends TypedEmitter<MicrophoneEvents> implements Microphone {
  readonly name: string;
  readonly frameSamples: number;
  readonly fault = new SimFault();
  /** Fault injection: a mic that keeps delivering audio with its power cut (a bypassed relay). */
  liveWhenUnpowered = false;
  #open = false;
  #residual = new Int16Array(0);
  #powered: () => boolean;
  #playback: TimerHandle | undefined;
  /** Resolves the pending play() when playback is stopped early. */
  #doneResolve: (() => void) | undefined;
  #droppedSamples = 0;
  /** Sound the room adds at capture (the speaker's echo): frame, capture time. */
  #acoustic: ((frame: Int16Array, endMs: number) => void)[] = [];
  #capturedSamples = 0;
  readonly #rec: SimRecorder;

  constructor(rec: SimRecorder, opts: { name?: string; frameSamples?: number; powered?: () => boolean } = {}) {
    super();
    this.#rec = rec;
    this.name = opts.name ?? 'mic';
    this.frameSamples = opts.frameSamples ?? DEFAULT_FRAME_SAMPLES;
    this.#powered = opts.powered ?? (() => true);
  }

  get isOpen(): boolean {
    return this.#open;
  }

  get powered(): boolean {
    return this.#powered();
  }

  /** Samples that were fed while the mic was closed or unpowered (never captured). */
  get droppedSamples(): number {
    return this.#droppedSamples;
  }

  get capturedSamples(): number {
    return this.#capturedSamples;
  }

  async open(): Promise<void> {
    if (this.#open) return;
    this.fault.check(this.name, 'open');
    this.#open = true;
    this.#residual = new Int16Array(0);
    this.#rec.record(this.name, 'open');
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#residual = new Int16Array(0);
    this.#rec.record(this.name, 'close');
    this.emit('closed');
  }

  /** Sound reaching the mic now. Emits whole frames synchronously. */
  feed(samples: Int16Array): void {
    if (!this.#open || (!this.#powered() && !this.liveWhenUnpowered)) {
      this.#droppedSamples += samples.length;
      return;
    }
    let buf = samples;
    if (this.#residual.length) {
      buf = new Int16Array(this.#residual.length + samples.length);
      buf.set(this.#residual);
      buf.set(samples, this.#residual.length);
    }
    let at = 0;
    while (buf.length - at >= this.frameSamples && this.#open && (this.#powered() || this.liveWhenUnpowered)) {
      const frame = buf.slice(at, at + this.frameSamples);
      at += this.frameSamples;
      for (const add of this.#acoustic) add(frame, this.#rec.clock.now());
      this.#capturedSamples += frame.length;
      this.emit('frame', frame);
    }
    this.#residual = this.#open ? buf.slice(at) : new Int16Array(0);
  }

  /**
   * Adds a sound source of the room (sim-echo-path.ts: the speaker's echo), mixed into
   * every captured frame whose last sample is taken to be captured now. Returns remove.
   */
  addAcousticSource(add: (frame: Int16Array, endMs: number) => void): () => void {
    this.#acoustic.push(add);
    return () => {
      this.#acoustic = this.#acoustic.filter((a) => a !== add);
    };
  }

  /** Simulates a capture failure: error, then closed (the driver gives up). */
  failCapture(code: 'DEVICE_READ_FAILED' = 'DEVICE_READ_FAILED'): void {
    const wasOpen = this.#open;
    this.emit('error', new HalError(code, this.name, 'simulated capture failure'));
    if (wasOpen) void this.close();
  }

  /**
   * Plays samples into the mic one frame per frame-duration of clock time (real-time
   * pace). Resolves when the whole clip has been offered. Silence is appended after the
   * clip (`tailMs`) so the end of speech can be heard. `pace`, when given, is awaited
   * before each next frame: a listener slower than real time (the wake word engine on
   * emulated ARM) holds the recording back instead of missing what it says, as a file
   * source with back-pressure would. It never makes playback faster than real time.
   */
  play(samples: Int16Array, opts: { tailMs?: number; pace?: () => Promise<void> | void } = {}): Promise<void> {
    this.stopPlayback();
    const tail = Math.round(((opts.tailMs ?? 0) * MIC_SAMPLE_RATE) / 1000);
    const all = new Int16Array(samples.length + tail);
    all.set(samples);
    const frameMs = (this.frameSamples * 1000) / MIC_SAMPLE_RATE;
    let at = 0;
    return new Promise((resolve) => {
      const done = () => {
        this.#playback = undefined;
        resolve();
      };
      const next = () => {
        // Stopped while the pace was awaited: stopPlayback() has resolved already.
        if (this.#doneResolve !== resolve) return;
        this.#playback = this.#rec.clock.setTimeout(step, frameMs);
      };
      const step = () => {
        if (at >= all.length) return done();
        this.feed(all.subarray(at, at + this.frameSamples));
        at += this.frameSamples;
        const waited = opts.pace?.();
        if (waited) void waited.then(next, next);
        else next();
      };
      this.#doneResolve = resolve;
      step();
    });
  }

  playWav(path: string, opts: { tailMs?: number; pace?: () => Promise<void> | void } = {}): Promise<void> {
    return this.play(readWavAs16kMono(path), opts);
  }

  stopPlayback(): void {
    this.#rec.clock.clearTimeout(this.#playback);
    this.#playback = undefined;
    this.#doneResolve?.();
    this.#doneResolve = undefined;
  }
}
