import { startTsWorker } from '../../hal/base/start-ts-worker.ts';
import { TallyError } from '../../hal/base/errors.ts';
import type { DeletionWorkerData, FromDeletionWorker } from './deletion-worker-protocol.ts';
import type { DeletionProgress } from './recording-deletion.ts';

export type WorkerDeletion = Extract<FromDeletionWorker, { t: 'done' }>;

/**
 * Runs one recording deletion on a worker thread (see deletion.worker.ts) and resolves
 * with what it did. A worker that fails or dies rejects with a TallyError; whatever it
 * had not finished is still recorded in its job row and is finished at the next open.
 */
export function deleteInWorker(data: DeletionWorkerData, onProgress: (p: DeletionProgress) => void): Promise<WorkerDeletion> {
  const worker = startTsWorker(new URL('./deletion.worker.ts', import.meta.url), { workerData: data });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    worker.on('message', (m: FromDeletionWorker) => {
      if (m.t === 'progress') onProgress(m.progress);
      else if (m.t === 'done') settle(() => resolve(m));
      else settle(() => reject(new TallyError(m.code, m.message)));
    });
    worker.once('error', (e) => settle(() => reject(new TallyError('HISTORY_DELETE_FAILED', `deletion worker failed: ${e.message}`, { cause: e }))));
    worker.once('exit', (code) =>
      settle(() => reject(new TallyError('HISTORY_DELETE_FAILED', `deletion worker exited (code ${code}) before finishing; the rest is finished at the next open`))),
    );
  });
}
