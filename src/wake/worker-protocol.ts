import type { WakeModelRef } from './models.ts';
import type { WakeEngine } from './model-types.ts';

/** Messages between the detector worker (detector.worker.ts) and its main-thread handle. */
export type DetectorWorkerData =
  | { kind: 'wake'; heads: WakeModelRef[]; thresholds: number[]; refractoryMs: number; modelDir?: string }
  | { kind: 'endpoint'; endOfSpeechSilenceMs: number; modelDir?: string };

export type ToWorker =
  | { t: 'push'; samples: Int16Array }
  | { t: 'suppress'; on: boolean }
  | { t: 'reset' }
  | { t: 'flush'; id: number }
  | { t: 'stats'; id: number }
  | { t: 'close' };

export interface WorkerStats {
  frames: number;
  /** Time spent in inference + logic, ms (the worker's busy time). */
  busyMs: number;
  rss: number;
  /** Which inference engine the worker runs (native, or the wasm fallback). */
  engine: WakeEngine;
}

export type FromWorker =
  | { t: 'ready'; labels: string[] }
  | { t: 'detection'; wakeWord: string; score: number; frame: number }
  | { t: 'endpoint'; signal: 'speech-start' | 'end-of-speech'; frame: number }
  | { t: 'flushed'; id: number }
  /** Acknowledges one push: lets the handle bound the audio waiting in the queue. */
  | { t: 'consumed'; samples: number }
  | { t: 'stats'; id: number; stats: WorkerStats }
  | { t: 'error'; code: string; message: string };
