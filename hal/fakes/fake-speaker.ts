import type { SpeakerConstructor, SpeakerStream } from '../drivers/audio/speaker-tone-player.ts';

/**
 * A stand-in for the `speaker` package: records each opened stream's format and bytes.
 * Playback "finishes" when the test calls `finish()` (or at once with `autoFinish`), so
 * tests can stop a sound mid-way.
 */
export class FakeSpeakerDevice {
  readonly streams: { format: { channels: number; sampleRate: number; device?: string }; bytes: Buffer[]; droppedOnClose: boolean; ended: boolean }[] = [];
  autoFinish = true;
  failOpen: Error | undefined;
  failWrite: Error | undefined;
  #open: (() => void)[] = [];

  get Speaker(): SpeakerConstructor {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    return class implements SpeakerStream {
      #handlers = new Map<string, ((e?: Error) => void)[]>();
      #record: FakeSpeakerDevice['streams'][number];
      #closed = false;
      #inFlight = 0;
      constructor(opts: { channels: number; sampleRate: number; device?: string }) {
        if (fake.failOpen) throw fake.failOpen;
        this.#record = { format: { channels: opts.channels, sampleRate: opts.sampleRate, ...(opts.device ? { device: opts.device } : {}) }, bytes: [], droppedOnClose: false, ended: false };
        fake.streams.push(this.#record);
      }
      write(chunk: Buffer, cb: (err?: Error | null) => void): boolean {
        if (this.#closed) throw new Error('write after close: the real binding would crash here');
        const e = fake.failWrite;
        if (!e) this.#record.bytes.push(Buffer.from(chunk));
        this.#inFlight++;
        setImmediate(() => {
          this.#inFlight--;
          cb(e ?? null);
        });
        return !e;
      }
      end(): void {
        this.#record.ended = true;
        const done = () => this.close(false);
        if (fake.autoFinish) setImmediate(done);
        else fake.#open.push(done);
      }
      close(flush: boolean): void {
        if (this.#inFlight) throw new Error('close during a write: the real binding would crash here');
        if (this.#closed) return;
        this.#closed = true;
        this.#record.droppedOnClose = flush;
        setImmediate(() => this.#fire('close'));
      }
      on(event: string, fn: (e?: Error) => void): unknown {
        const list = this.#handlers.get(event) ?? [];
        list.push(fn);
        this.#handlers.set(event, list);
        return this;
      }
      #fire(event: string, e?: Error): void {
        for (const fn of this.#handlers.get(event) ?? []) fn(e);
      }
    };
  }

  /** Lets every stream waiting for the end of playback finish. */
  finish(): void {
    for (const f of this.#open.splice(0)) f();
  }

  samples(i: number): Int16Array {
    const b = Buffer.concat(this.streams[i]!.bytes);
    return new Int16Array(b.buffer, b.byteOffset, b.length / 2);
  }
}
