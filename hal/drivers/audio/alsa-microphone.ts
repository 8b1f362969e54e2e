import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { HalError } from '../../errors.ts';
import { BYTES_PER_SAMPLE, DEFAULT_FRAME_SAMPLES, MIC_SAMPLE_RATE, type Microphone, type MicrophoneEvents } from '../../microphone.ts';
import { TypedEmitter } from '../../base/typed-emitter.ts';
import type { Clock, TimerHandle } from '../../base/clock.ts';

export interface AlsaMicrophoneOptions {
  /** ALSA capture PCM, e.g. `default`, `plughw:1,0`. */
  device?: string;
  frameSamples?: number;
  /**
   * open() resolves on the first audio byte or once arecord has run this long without
   * failing (a device can be open and still silent), whichever is first.
   */
  startupGraceMs?: number;
  /** Executable, for tests and unusual installs. */
  arecord?: string;
  /** Extra environment (tests point ALSA_CONFIG_PATH at a local config). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The microphone through ALSA's `arecord` (alsa-utils), spawned as a child process:
 * 16 kHz, S16_LE, mono, raw on stdout. A separate process keeps a native audio stack
 * out of the Node process and makes "stop capturing" absolute: close() kills it.
 *
 * - open() resolves on the first audio byte or after a short grace period with arecord
 *   still running; it rejects DEVICE_UNAVAILABLE if arecord exits first (with arecord's
 *   own message, e.g. no such device: it fails within milliseconds).
 * - A capture that dies afterwards emits `error` (DEVICE_READ_FAILED) then `closed`:
 *   the mic fails closed, it never pretends to still be listening.
 * - close() drops partial frames; no `frame` is emitted after it returns.
 */
export class AlsaMicrophone extends TypedEmitter<MicrophoneEvents> implements Microphone {
  readonly frameSamples: number;
  readonly #opts: AlsaMicrophoneOptions;
  readonly #clock: Clock;
  readonly #name: string;
  #child: ChildProcessWithoutNullStreams | undefined;
  #pending = Buffer.alloc(0);
  #open = false;

  constructor(clock: Clock, opts: AlsaMicrophoneOptions = {}) {
    super();
    this.#clock = clock;
    this.#opts = opts;
    this.frameSamples = opts.frameSamples ?? DEFAULT_FRAME_SAMPLES;
    this.#name = `ALSA mic ${opts.device ?? 'default'}`;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  open(): Promise<void> {
    if (this.#child) return Promise.resolve();
    const args = ['-D', this.#opts.device ?? 'default', '-f', 'S16_LE', '-r', String(MIC_SAMPLE_RATE), '-c', '1', '-t', 'raw', '-q'];
    const child = spawn(this.#opts.arecord ?? 'arecord', args, { env: { ...process.env, ...this.#opts.env }, stdio: ['ignore', 'pipe', 'pipe'] }) as unknown as ChildProcessWithoutNullStreams;
    this.#child = child;
    this.#pending = Buffer.alloc(0);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString('utf8');
    });
    return new Promise<void>((resolve, reject) => {
      let started = false;
      let timer: TimerHandle | undefined;
      const start = () => {
        if (started) return;
        started = true;
        this.#open = true;
        this.#clock.clearTimeout(timer);
        resolve();
      };
      const refuse = (why: string, cause?: unknown) => {
        this.#clock.clearTimeout(timer);
        this.#child = undefined;
        child.kill('SIGKILL');
        reject(new HalError('DEVICE_UNAVAILABLE', this.#name, `${why}${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''} (list capture devices with: arecord -L)`, { cause }));
      };
      timer = this.#clock.setTimeout(start, this.#opts.startupGraceMs ?? 250);
      child.on('error', (e) => (started ? this.#died(e) : refuse('cannot start arecord (install alsa-utils)', e)));
      child.on('exit', (code, signal) => {
        if (!started) refuse(`arecord exited (${code ?? signal})`);
        else if (this.#child === child) this.#died(new Error(`arecord exited (${code ?? signal}): ${stderr.trim()}`));
      });
      child.stdout.on('data', (chunk: Buffer) => {
        if (this.#child !== child) return; // closed: drop everything
        if (started) return this.#push(chunk);
        // First audio: let the caller's `await open()` continue before the first frames,
        // so its listener is armed for them (pausing keeps later chunks in order).
        child.stdout.pause();
        start();
        setImmediate(() => {
          if (this.#child !== child) return;
          this.#push(chunk);
          child.stdout.resume();
        });
      });
    });
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    this.#open = false;
    this.#pending = Buffer.alloc(0);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    }
    this.emit('closed');
  }

  #push(chunk: Buffer): void {
    const frameBytes = this.frameSamples * BYTES_PER_SAMPLE;
    let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    while (buf.length >= frameBytes && this.#open) {
      const frame = new Int16Array(this.frameSamples);
      Buffer.from(frame.buffer).set(buf.subarray(0, frameBytes));
      buf = buf.subarray(frameBytes);
      this.emit('frame', frame);
    }
    this.#pending = this.#open ? Buffer.from(buf) : Buffer.alloc(0);
  }

  #died(cause: unknown): void {
    if (!this.#open) return;
    this.#child = undefined;
    this.#open = false;
    this.#pending = Buffer.alloc(0);
    this.emit('error', new HalError('DEVICE_READ_FAILED', this.#name, 'capture stopped unexpectedly', { cause }));
    this.emit('closed');
  }
}
