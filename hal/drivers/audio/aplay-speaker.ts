import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import type { SpeakerConstructor, SpeakerStream } from './speaker-tone-player.ts';

type Format = ConstructorParameters<SpeakerConstructor>[0];
export type SpawnAplay = (args: string[]) => Pick<ChildProcess, 'stdin' | 'on' | 'kill'>;

/** ALSA buffer aplay asks for: stop() cuts within this plus one 40 ms slice. */
const BUFFER_US = 100_000;

/** aplay's arguments for one stream of raw signed 16-bit PCM. */
export function aplayArgs(format: Format): string[] {
  return ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', String(format.sampleRate), '-c', String(format.channels), `--buffer-time=${BUFFER_US}`, '-D', format.device ?? 'default'];
}

/**
 * A SpeakerConstructor backed by `aplay` (alsa-utils), one process per sound: for
 * where the `speaker` package did not build — its bundled mpg123 has no linux/arm64
 * configuration (node-speaker issue #184), so 64-bit Raspberry Pi OS has no `speaker`.
 * The process does its own blocking drain, so nothing here can stall the main thread.
 */
export function aplaySpeaker(spawn: SpawnAplay = (args) => nodeSpawn('aplay', args, { stdio: ['pipe', 'ignore', 'pipe'] })): SpeakerConstructor {
  return class extends AplayStream {
    constructor(format: Format) {
      super(spawn, format);
    }
  } as unknown as SpeakerConstructor;
}

/** One sound: one aplay process fed raw PCM on stdin. */
class AplayStream implements SpeakerStream {
  readonly #child: ReturnType<SpawnAplay>;
  readonly #listeners = new Map<string, ((e?: Error) => void)[]>();
  #stderr = '';
  #closed = false;
  #cut = false;

  constructor(spawn: SpawnAplay, format: Format) {
    this.#child = spawn(aplayArgs(format));
    const child = this.#child as ChildProcess;
    child.stderr?.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString()).slice(-400);
    });
    // EPIPE after a cut or a dead aplay: the exit handler reports it once.
    this.#child.stdin?.on('error', () => {});
    this.#child.on('error', (e: Error) => this.#finish(new Error(`aplay could not start: ${e.message}`)));
    this.#child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      // aplay exits 1 on SIGTERM: a cut we asked for is a normal close.
      if (code === 0 || this.#cut) this.#finish();
      else this.#finish(new Error(`aplay exited with ${code ?? signal}: ${this.#stderr.trim().split('\n').pop() ?? ''}`));
    });
  }

  write(chunk: Buffer, cb: (err?: Error | null) => void): boolean {
    const stdin = this.#child.stdin;
    if (this.#closed || !stdin || stdin.destroyed) {
      queueMicrotask(() => cb(new Error('aplay stream is closed')));
      return false;
    }
    // A failed write (EPIPE) means aplay is gone: its exit, which always follows, reports
    // why (aplay's own message) or a normal close after a cut — not the pipe error.
    return stdin.write(chunk, (err) => {
      if (!err) cb(null);
    });
  }

  /** Plays out what was written, then closes (aplay exits at end of input). */
  end(): void {
    this.#child.stdin?.end();
  }

  /** Stops now: the process is killed, dropping what ALSA buffered. */
  close(_flush: boolean): void {
    this.#cut = true;
    this.#child.stdin?.destroy();
    this.#child.kill('SIGTERM');
  }

  on(event: 'close' | 'flush' | 'error', fn: (e?: Error) => void): unknown {
    const list = this.#listeners.get(event) ?? [];
    list.push(fn);
    this.#listeners.set(event, list);
    return this;
  }

  #finish(error?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    if (error) for (const fn of this.#listeners.get('error') ?? []) fn(error);
    for (const fn of this.#listeners.get('close') ?? []) fn();
  }
}
