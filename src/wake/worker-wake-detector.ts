import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import type { WakeDetector, WakeDetectorEvents } from '../core/ports/wake-detector.ts';
import { DetectorWorkerHandle } from './detector-worker-handle.ts';
import type { DetectorWorkerData, FromWorker, WorkerStats } from './worker-protocol.ts';
import { FRAME_MS } from './constants.ts';

/** WakeDetector backed by the detector worker thread (see detector.worker.ts). */
export class WorkerWakeDetector extends TypedEmitter<WakeDetectorEvents> implements WakeDetector {
  #handle!: DetectorWorkerHandle;

  static async start(data: Extract<DetectorWorkerData, { kind: 'wake' }>): Promise<WorkerWakeDetector> {
    const d = new WorkerWakeDetector();
    d.#handle = await DetectorWorkerHandle.start(
      data,
      (m) => d.#onMessage(m),
      (e) => d.emit('error', 'WAKE_WORKER_CRASHED', e.message),
    );
    return d;
  }

  /** The detection labels this detector reports (one per wake word / class). */
  get wakeWords(): string[] {
    return this.#handle.labels;
  }

  #onMessage(m: FromWorker): void {
    if (m.t === 'detection') {
      // audioMs: end of the frame that fired, in audio time since start or the last reset.
      this.emit('detection', { wakeWord: m.wakeWord, score: m.score, audioMs: (m.frame + 1) * FRAME_MS });
    } else if (m.t === 'error') this.emit('error', m.code, m.message);
  }

  push(samples: Int16Array): void {
    this.#handle.post({ t: 'push', samples });
  }

  setSuppressed(suppressed: boolean): void {
    this.#handle.post({ t: 'suppress', on: suppressed });
  }

  reset(): void {
    this.#handle.post({ t: 'reset' });
  }

  /** Samples pushed that the worker has not yet processed. */
  get backlogSamples(): number {
    return this.#handle.backlogSamples;
  }

  /** Resolves when every frame pushed so far has been processed (tests, evaluation). */
  flush(): Promise<void> {
    return this.#handle.flush();
  }

  /** Audio dropped because the worker fell too far behind (see MAX_BACKLOG_SAMPLES). */
  get droppedSamples(): number {
    return this.#handle.droppedSamples;
  }

  stats(): Promise<WorkerStats> {
    return this.#handle.stats();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}
