import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../hal/base/start-ts-worker.ts';
import { TallyError } from '../../hal/base/errors.ts';
import type { DetectorWorkerData, FromWorker, ToWorker, WorkerStats } from './worker-protocol.ts';

/**
 * The main thread's side of one detector worker: starts it, posts audio without waiting,
 * routes its messages, and shuts it down. push() never blocks on inference.
 *
 * The queue to the worker is bounded: if the worker falls more than MAX_BACKLOG_SAMPLES
 * behind (a starved CPU, or a capture source that is not paced in real time), new audio
 * is dropped instead of piling up in memory, a WAKE_DETECTOR_OVERLOADED error is reported
 * once per episode, and the detector restarts from a clean state when it catches up.
 */
export const MAX_BACKLOG_SAMPLES = 16_000 * 10;

export class DetectorWorkerHandle {
  readonly labels: string[];
  readonly #worker: Worker;
  #closed = false;
  #nextId = 1;
  readonly #pending = new Map<number, (m: FromWorker) => void>();
  readonly #exited: Promise<void>;
  #backlog = 0;
  #overloaded = false;
  #droppedSamples = 0;
  readonly #onMessage: (m: FromWorker) => void;

  private constructor(worker: Worker, labels: string[], onMessage: (m: FromWorker) => void, onCrash: (e: Error) => void) {
    this.#worker = worker;
    this.labels = labels;
    this.#onMessage = onMessage;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: FromWorker) => {
      if (m.t === 'consumed') this.#backlog -= m.samples;
      else if ((m.t === 'flushed' || m.t === 'stats') && this.#pending.has(m.id)) {
        this.#pending.get(m.id)!(m);
        this.#pending.delete(m.id);
      } else onMessage(m);
    });
    worker.on('error', (e) => {
      if (!this.#closed) onCrash(e);
    });
  }

  static start(
    data: DetectorWorkerData,
    onMessage: (m: FromWorker) => void,
    onCrash: (e: Error) => void,
  ): Promise<DetectorWorkerHandle> {
    const worker = startTsWorker(new URL('./detector.worker.ts', import.meta.url), { workerData: data });
    return new Promise((resolve, reject) => {
      const fail = (e: unknown) => {
        void worker.terminate();
        reject(e);
      };
      worker.once('message', (m: FromWorker) => {
        worker.off('error', fail);
        if (m.t === 'ready') resolve(new DetectorWorkerHandle(worker, m.labels, onMessage, onCrash));
        else if (m.t === 'error') fail(new TallyError(m.code, m.message));
        else fail(new TallyError('WAKE_WORKER_FAILED', `unexpected first message ${m.t}`));
      });
      worker.once('error', (e) => fail(new TallyError('WAKE_WORKER_FAILED', `detector worker failed to start: ${e.message}`, { cause: e })));
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Samples posted that the worker has not yet processed (how far behind it is). */
  get backlogSamples(): number {
    return this.#backlog;
  }

  /** Audio dropped because the worker was too far behind. */
  get droppedSamples(): number {
    return this.#droppedSamples;
  }

  post(m: ToWorker): void {
    if (this.#closed) return;
    if (m.t !== 'push') {
      this.#worker.postMessage(m);
      return;
    }
    if (this.#backlog + m.samples.length > MAX_BACKLOG_SAMPLES) {
      this.#droppedSamples += m.samples.length;
      if (!this.#overloaded) {
        this.#overloaded = true;
        this.#onMessage({ t: 'error', code: 'WAKE_DETECTOR_OVERLOADED', message: 'detector fell more than 10 s behind the audio: dropping audio until it catches up' });
      }
      return;
    }
    if (this.#overloaded) {
      // The audio has a gap: start over rather than detect across it.
      this.#overloaded = false;
      this.#worker.postMessage({ t: 'reset' } satisfies ToWorker);
    }
    // Copy into a fresh buffer and transfer it: cloning a view would copy its whole
    // backing buffer, and the caller may reuse its array.
    const copy = m.samples.slice();
    this.#backlog += copy.length;
    this.#worker.postMessage({ t: 'push', samples: copy }, [copy.buffer]);
  }

  /** Resolves once the worker has processed everything posted before this call. */
  flush(): Promise<void> {
    return this.#request('flush').then(() => undefined);
  }

  async stats(): Promise<WorkerStats> {
    const m = await this.#request('stats');
    return (m as Extract<FromWorker, { t: 'stats' }>).stats;
  }

  #request(t: 'flush' | 'stats'): Promise<FromWorker> {
    if (this.#closed) return Promise.reject(new TallyError('WAKE_DETECTOR_CLOSED', 'detector is closed'));
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker.postMessage({ t, id });
    });
  }

  /** Lets the worker dispose its ONNX sessions, then makes sure the thread is gone. */
  async close(): Promise<void> {
    if (this.#closed) return this.#exited;
    this.#closed = true;
    this.#worker.postMessage({ t: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void this.#worker.terminate(), 2000);
    await this.#exited;
    clearTimeout(timer);
  }
}
