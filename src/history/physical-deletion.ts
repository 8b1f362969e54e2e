import type Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { TallyError } from '../../hal/base/errors.ts';
import type { AudioFiles } from './audio-files.ts';
import { countRecordingRows, type RecordingSelector } from './recordings.ts';

/** What a deletion did; returned only once every step is done and checked on disk. */
export interface DeletionReceipt {
  path: DeletionPath;
  recordings: number;
  audioFiles: number;
  scans: number;
  voiceProfiles: number;
  ledgerEntries: number;
  /** How many checkpoint attempts it took until the WAL was really empty. */
  checkpointAttempts: number;
  verified: true;
}

export type DeletionPath =
  | 'one'
  | 'range'
  | 'device'
  | 'all'
  | 'last'
  | 'today'
  | 'dont-save'
  | 'retention'
  | 'scan'
  | 'voice-profile'
  /** "Not meant for me": a false wake deleted and counted. */
  | 'false-wake';

export interface CheckpointOptions {
  /** Give up (and say so) after this long; the rows are gone but old pages may remain. */
  timeoutMs?: number;
  retryMs?: number;
}

/**
 * Makes a committed deletion physical. secure_delete has already zeroed the freed cells in
 * the new page versions, but those live in the WAL and the old versions are still in the
 * main file until a checkpoint copies them back, and the old frames are still in the WAL
 * until it is truncated. A reader holding an old snapshot blocks both, so we retry —
 * asynchronously, so the reader (possibly in this process) can finish — until
 * checkpoint(TRUNCATE) reports nothing busy and the -wal file is really 0 bytes.
 */
export async function checkpointUntilClean(db: Database.Database, opts: CheckpointOptions = {}): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retryMs = opts.retryMs ?? 20;
  const walPath = db.name + '-wal';
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const [result] = checkpointNoWait(db);
    const walBytes = existsSync(walPath) ? statSync(walPath).size : 0;
    if (result && result.busy === 0 && result.log === 0 && walBytes === 0) return attempt;
    if (Date.now() - started > timeoutMs) {
      throw new TallyError(
        'HISTORY_DELETE_NOT_VERIFIED',
        `deleted rows are gone but the write-ahead log could not be emptied within ${timeoutMs} ms (another reader holds the database open); it will be retried at the next deletion or start`,
        { details: { attempts: attempt, walBytes } },
      );
    }
    await new Promise((r) => setTimeout(r, retryMs));
  }
}

/**
 * TRUNCATE waits for readers through the busy handler, which would block this thread
 * (and a reader in this process could then never finish): try once, wait outside.
 */
function checkpointNoWait(db: Database.Database): { busy: number; log: number; checkpointed: number }[] {
  const saved = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  } finally {
    db.pragma(`busy_timeout = ${saved}`);
  }
}

/**
 * Checks that nothing selected for deletion is still there: no rows (by the deletion's
 * bounded selector), no audio files (checked in batches, off the event loop).
 */
export async function verifyGone(
  db: Database.Database,
  audio: AudioFiles,
  check: { recordings?: RecordingSelector; audioFiles?: readonly string[]; table?: { name: string; where: string; params: unknown[] } },
): Promise<void> {
  const leftovers: string[] = [];
  if (check.recordings) {
    const n = countRecordingRows(db, check.recordings);
    if (n) leftovers.push(`${n} recording rows`);
  }
  for (const name of await audio.stillPresent(check.audioFiles ?? [])) leftovers.push(`audio file ${name}`);
  if (check.table) {
    const n = db.prepare(`SELECT count(*) AS n FROM ${check.table.name} WHERE ${check.table.where}`).get(...check.table.params) as { n: number };
    if (n.n) leftovers.push(`${n.n} ${check.table.name} rows`);
  }
  if (leftovers.length) {
    throw new TallyError('HISTORY_DELETE_NOT_VERIFIED', `deletion left data behind: ${leftovers.slice(0, 5).join(', ')}${leftovers.length > 5 ? ` and ${leftovers.length - 5} more` : ''}`);
  }
}
