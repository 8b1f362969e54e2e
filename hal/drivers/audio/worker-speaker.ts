import { HalError } from '../../errors.ts';
import { startTsWorker } from '../../base/start-ts-worker.ts';
import type { SpeakerConstructor, SpeakerStream } from './speaker-tone-player.ts';

type Format = ConstructorParameters<SpeakerConstructor>[0];

export type SpeakerWorkerRequest =
  | { type: 'open'; stream: number; format: Format }
  | { type: 'write'; stream: number; id: number; chunk: Uint8Array }
  | { type: 'end'; stream: number }
  | { type: 'close'; stream: number; flush: boolean };

export type SpeakerWorkerReply =
  | { type: 'ready' }
  | { type: 'written'; stream: number; id: number; error?: string }
  | { type: 'error'; stream: number; message: string }
  | { type: 'close'; stream: number };

/** The one worker all streams share, and who listens for which stream's replies. */
interface WorkerLink {
  worker: ReturnType<typeof startTsWorker>;
  handlers: Map<number, (m: SpeakerWorkerReply) => void>;
  died: Error | undefined;
  nextStream: number;
}

/**
 * A SpeakerConstructor whose streams live in one long-lived worker thread
 * (speaker.worker.ts), so native drains never block the main thread. Same interface as
 * the `speaker` package, so SpeakerTonePlayer does not know the difference.
 */
export async function startWorkerSpeaker(device = 'speaker'): Promise<{ Speaker: SpeakerConstructor; terminate(): Promise<void> }> {
  const worker = startTsWorker(new URL('./speaker.worker.ts', import.meta.url));
  const link: WorkerLink = { worker, handlers: new Map(), died: undefined, nextStream: 1 };
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(new HalError('DRIVER_MISSING', device, `the speaker package failed to load: ${e.message}`, { cause: e }));
    worker.once('error', onError);
    worker.once('message', (m: SpeakerWorkerReply) => {
      worker.off('error', onError);
      if (m.type === 'ready') resolve();
    });
  });
  worker.on('message', (m: SpeakerWorkerReply) => {
    if (m.type !== 'ready') link.handlers.get(m.stream)?.(m);
  });
  worker.on('error', (e) => {
    link.died = e;
    for (const h of [...link.handlers.values()]) h({ type: 'error', stream: -1, message: `speaker worker died: ${e.message}` });
  });
  const Speaker = class extends WorkerSpeakerStream {
    constructor(format: Format) {
      super(link, format);
    }
  };
  return {
    Speaker: Speaker as unknown as SpeakerConstructor,
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/** One stream in the worker, driven by messages. */
class WorkerSpeakerStream implements SpeakerStream {
  readonly #link: WorkerLink;
  readonly #id: number;
  readonly #listeners = new Map<string, ((e?: Error) => void)[]>();
  readonly #pending = new Map<number, (err?: Error | null) => void>();
  #nextWrite = 1;

  constructor(link: WorkerLink, format: Format) {
    this.#link = link;
    this.#id = link.nextStream++;
    link.handlers.set(this.#id, (m) => this.#onReply(m));
    const died = link.died;
    if (died) queueMicrotask(() => this.#fire('error', died));
    else this.#post({ type: 'open', stream: this.#id, format });
  }

  #post(m: SpeakerWorkerRequest): void {
    this.#link.worker.postMessage(m);
  }

  write(chunk: Buffer, cb: (err?: Error | null) => void): boolean {
    const id = this.#nextWrite++;
    this.#pending.set(id, cb);
    this.#post({ type: 'write', stream: this.#id, id, chunk: new Uint8Array(chunk) });
    return true;
  }

  end(): void {
    this.#post({ type: 'end', stream: this.#id });
  }

  close(flush: boolean): void {
    this.#post({ type: 'close', stream: this.#id, flush });
  }

  on(event: 'close' | 'flush' | 'error', fn: (e?: Error) => void): unknown {
    const list = this.#listeners.get(event) ?? [];
    list.push(fn);
    this.#listeners.set(event, list);
    return this;
  }

  #onReply(m: SpeakerWorkerReply): void {
    if (m.type === 'written') {
      const cb = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      cb?.(m.error ? new Error(m.error) : null);
    } else if (m.type === 'error') {
      this.#fire('error', new Error(m.message));
    } else if (m.type === 'close') {
      this.#link.handlers.delete(this.#id);
      this.#fire('close');
    }
  }

  #fire(event: string, e?: Error): void {
    for (const fn of this.#listeners.get(event) ?? []) fn(e);
  }
}
