import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import type { EndpointDetector, EndpointEvents } from '../core/ports/wake-detector.ts';
import { DetectorWorkerHandle } from './detector-worker-handle.ts';
import type { DetectorWorkerData, FromWorker } from './worker-protocol.ts';

/** EndpointDetector on Silero VAD, in its own worker thread (see endpoint-tracker.ts). */
export class WorkerEndpointDetector extends TypedEmitter<EndpointEvents> implements EndpointDetector {
  #handle!: DetectorWorkerHandle;

  static async start(data: Extract<DetectorWorkerData, { kind: 'endpoint' }>): Promise<WorkerEndpointDetector> {
    const d = new WorkerEndpointDetector();
    d.#handle = await DetectorWorkerHandle.start(
      data,
      (m) => d.#onMessage(m),
      // The contract has no error event: if VAD dies, the attention machine's no-speech
      // timeout and maximum request length still end every stream.
      () => {},
    );
    return d;
  }

  #onMessage(m: FromWorker): void {
    if (m.t === 'endpoint') this.emit(m.signal);
  }

  push(samples: Int16Array): void {
    this.#handle.post({ t: 'push', samples });
  }

  reset(): void {
    this.#handle.post({ t: 'reset' });
  }

  /** Samples pushed that the worker has not yet processed. */
  get backlogSamples(): number {
    return this.#handle.backlogSamples;
  }

  flush(): Promise<void> {
    return this.#handle.flush();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}
