import type Database from 'better-sqlite3';
import { stat } from 'node:fs/promises';
import { yieldMacrotask, type AudioFiles } from './audio-files.ts';
import type { DeletionPath } from './physical-deletion.ts';
import { countRecordingRows, deleteRecordingRows, maxRecordingId, referencedAmong, type RecordingSelector } from './recordings.ts';

/** Rows deleted per transaction: a few milliseconds each with secure_delete, then a yield. */
export const ROW_CHUNK = 256;

/** Where a deletion is; `done` of `total` in the current phase. */
export interface DeletionProgress {
  path: DeletionPath;
  phase: 'rows' | 'files';
  done: number;
  total: number;
}

export interface DeletedRows {
  /** The selector as run, bounded to the rows that existed when the deletion started. */
  bounded: RecordingSelector;
  recordings: number;
  audioFiles: string[];
}

interface JobRow {
  id: number;
  path: DeletionPath;
  selector: string;
}

/**
 * Deletes the selected recording rows in chunks of ROW_CHUNK, one transaction each,
 * yielding to the event loop between chunks, so a delete-all of 100k never blocks a mute
 * press. A job row written first records what the deletion covers (bounded to the rows
 * that exist now, so recordings saved meanwhile are not swept up); it is removed in the
 * transaction of the last chunk, and a job still present at open is finished then
 * (`resumeDeletionJobs`). The audio files are returned for the caller to unlink after.
 */
export async function deleteRowsInChunks(
  db: Database.Database,
  path: DeletionPath,
  selector: RecordingSelector,
  onProgress?: (p: DeletionProgress) => void,
): Promise<DeletedRows> {
  const bounded: RecordingSelector = { ...selector, upToId: Math.min(selector.upToId ?? Infinity, maxRecordingId(db)) };
  const jobId = Number(db.prepare('INSERT INTO deletion_jobs (path, selector) VALUES (?, ?)').run(path, JSON.stringify(bounded)).lastInsertRowid);
  return runJob(db, { id: jobId, path, selector: JSON.stringify(bounded) }, onProgress);
}

/** Finishes every deletion a crash interrupted; returns the audio files of the rows it deleted. */
export async function resumeDeletionJobs(db: Database.Database): Promise<string[]> {
  const files: string[] = [];
  for (const job of db.prepare('SELECT id, path, selector FROM deletion_jobs ORDER BY id').all() as JobRow[]) {
    files.push(...(await runJob(db, job)).audioFiles);
  }
  return files;
}

async function runJob(db: Database.Database, job: JobRow, onProgress?: (p: DeletionProgress) => void): Promise<DeletedRows> {
  const bounded = JSON.parse(job.selector) as RecordingSelector;
  const total = countRecordingRows(db, bounded);
  const audioFiles: string[] = [];
  let recordings = 0;
  const finishJob = db.prepare('DELETE FROM deletion_jobs WHERE id = ?');
  for (;;) {
    const chunk = db.transaction(() => {
      const gone = deleteRecordingRows(db, bounded, ROW_CHUNK);
      if (gone.ids.length < ROW_CHUNK) finishJob.run(job.id);
      return gone;
    })();
    recordings += chunk.ids.length;
    audioFiles.push(...chunk.audioFiles);
    onProgress?.({ path: job.path, phase: 'rows', done: recordings, total });
    if (chunk.ids.length < ROW_CHUNK) return { bounded, recordings, audioFiles };
    await yieldMacrotask();
  }
}

/**
 * Audio files no row refers to — left by a crash between a deletion's commit and its
 * unlinks, or a half-written temporary — unlinked in the background after open: the
 * directory is streamed in batches and each batch looked up by the unique index, so
 * neither open nor the sweep ever holds the event loop for the whole directory.
 * Files younger than `graceMs` are left alone (another process may be mid-write).
 */
export async function sweepOrphanAudio(db: Database.Database, audio: AudioFiles, graceMs: number, stopped: () => boolean): Promise<number> {
  let removed = 0;
  const now = Date.now();
  for await (const names of audio.entries()) {
    if (stopped()) break;
    const referenced = referencedAmong(db, names);
    const candidates = names.filter((n) => !referenced.has(n));
    const ages = await Promise.all(candidates.map((n) => stat(audio.path(n)).then((s) => now - s.mtimeMs, () => -1)));
    const orphans = candidates.filter((_, i) => ages[i]! >= graceMs);
    if (orphans.length) removed += await audio.remove(orphans);
  }
  return removed;
}
