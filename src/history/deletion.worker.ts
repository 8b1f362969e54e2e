import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../../hal/base/thread-priority.ts';
import { AudioFiles } from './audio-files.ts';
import { checkpointUntilClean, verifyGone } from './physical-deletion.ts';
import { deleteRowsInChunks } from './recording-deletion.ts';
import type { DeletionWorkerData, FromDeletionWorker } from './deletion-worker-protocol.ts';

/**
 * The deletion thread: its own connection to the history database deletes the selected
 * rows chunk by chunk, unlinks their audio, checkpoints the WAL and checks that none of it is left. Every commit's fsync
 * (tens of ms on an SD card) and every unlink wait happens here, never on the thread that
 * serves the mic, the gate and the mute button. Only counts go back, never content.
 */
/** How many nice levels the deletion thread runs below the device's main thread. */
const DELETION_NICE_STEPS = 10;
const port = parentPort!;
const data = workerData as DeletionWorkerData;
const send = (m: FromDeletionWorker) => port.postMessage(m);

async function main(): Promise<void> {
  // Below the main thread: when the cores are busy, a mute press and the mic frames win.
  lowerThisThreadPriority(DELETION_NICE_STEPS);
  const db = new Database(data.dbPath, { fileMustExist: true });
  try {
    // Per connection: freed cells are zeroed by this connection's deletes too.
    db.pragma('secure_delete = ON');
    db.pragma('synchronous = FULL');
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    const gone = await deleteRowsInChunks(db, data.path, data.selector, (p) => send({ t: 'progress', progress: p }));
    const audio = new AudioFiles(data.dataDir);
    const total = gone.audioFiles.length;
    const removed = await audio.remove(gone.audioFiles, { onBatch: (done) => send({ t: 'progress', progress: { path: data.path, phase: 'files', done, total } }) });
    const attempts = await checkpointUntilClean(db, data.checkpoint);
    // The file list stays here (100k names would be megabytes to post back): checked here.
    await verifyGone(db, audio, { recordings: gone.bounded, audioFiles: gone.audioFiles });
    send({ t: 'done', bounded: gone.bounded, recordings: gone.recordings, removed, checkpointAttempts: attempts });
  } finally {
    db.close();
  }
}

main().catch((e: unknown) => send({ t: 'error', code: (e as { code?: string }).code ?? 'HISTORY_DELETE_FAILED', message: (e as Error).message }));
