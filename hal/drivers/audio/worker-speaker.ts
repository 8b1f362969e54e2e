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

/**
 * A SpeakerConstructor whose streams live in one long-lived worker thread
 * (speaker.worker.ts), so native drains never block the main thread. Same interface as
 * the `speaker` package, so SpeakerTonePlayer does not know the difference.
 */
export async function startWorkerSpeaker(device = 'speaker'): Promise<{ Speaker: SpeakerConstructor; terminate(): Promise<void> }> {
  const worker = startTsWorker(new URL('./speaker.worker.ts', import.meta.url));
  const handlers = new Map<number, (m: SpeakerWorkerReply) => void>();
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(new HalError('DRIVER_MISSING', device, `the speaker package failed to load: ${e.message}`, { cause: e }));
    worker.once('error', onError);
    worker.once('message', (m: SpeakerWorkerReply) => {
      worker.off('error', onError);
      if (m.type === 'ready') resolve();
    });
  });
  worker.on('message', (m: SpeakerWorkerReply) => {
    if (m.type !== 'ready') handlers.get(m.stream)?.(m);
  });
  let died: Error | undefined;
  worker.on('error', (e) => {
    died = e;
    for (const h of [...handlers.values()]) h({ type: 'error', stream: -1, message: `speaker worker died: ${e.message}` });
  });
  let nextStream = 1;

  class WorkerSpeakerStream implements SpeakerStream {
    readonly #id = nextStream++;
    readonly #listeners = new Map<string, ((e?: Error) => void)[]>();
    readonly #pending = new Map<number, (err?: Error | null) => void>();
    #nextWrite = 1;

    constructor(format: Format) {
      handlers.set(this.#id, (m) => this.#onReply(m));
      if (died) queueMicrotask(() => this.#fire('error', died));
      else worker.postMessage({ type: 'open', stream: this.#id, format } satisfies SpeakerWorkerRequest);
    }

    write(chunk: Buffer, cb: (err?: Error | null) => void): boolean {
      const id = this.#nextWrite++;
      this.#pending.set(id, cb);
      worker.postMessage({ type: 'write', stream: this.#id, id, chunk: new Uint8Array(chunk) } satisfies SpeakerWorkerRequest);
      return true;
    }

    end(): void {
      worker.postMessage({ type: 'end', stream: this.#id } satisfies SpeakerWorkerRequest);
    }

    close(flush: boolean): void {
      worker.postMessage({ type: 'close', stream: this.#id, flush } satisfies SpeakerWorkerRequest);
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
        handlers.delete(this.#id);
        this.#fire('close');
      }
    }

    #fire(event: string, e?: Error): void {
      for (const fn of this.#listeners.get(event) ?? []) fn(e);
    }
  }

  return {
    Speaker: WorkerSpeakerStream as unknown as SpeakerConstructor,
    terminate: async () => {
      await worker.terminate();
    },
  };
}
