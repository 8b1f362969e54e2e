import type { CheckpointOptions, DeletionPath } from './physical-deletion.ts';
import type { DeletionProgress } from './recording-deletion.ts';
import type { RecordingSelector } from './recordings.ts';

export interface DeletionWorkerData {
  dbPath: string;
  dataDir: string;
  path: DeletionPath;
  selector: RecordingSelector;
  checkpoint: CheckpointOptions;
}

export type FromDeletionWorker =
  | { t: 'progress'; progress: DeletionProgress }
  | { t: 'done'; bounded: RecordingSelector; recordings: number; removed: number; checkpointAttempts: number }
  | { t: 'error'; code: string; message: string };
