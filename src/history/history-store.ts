import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock, type Clock } from '../../hal/base/clock.ts';
import { TallyError } from '../../hal/base/errors.ts';
import type { Settings } from '../core/settings/schema.ts';
import { AudioFiles } from './audio-files.ts';
import { writeExportArchive, type ExportSummary } from './export-archive.ts';
import { LedgerStore, type LedgerSelector, type StoredLedgerEntry, type StoredLedgerNote } from './ledger-store.ts';
import type { ChainReport } from './ledger-chain.ts';
import { checkIntegrity, openHistoryDatabase } from './open-database.ts';
import { prepareDataDir } from './data-dir.ts';
import { checkpointUntilClean, verifyGone, type CheckpointOptions, type DeletionPath, type DeletionReceipt } from './physical-deletion.ts';
import {
  aadFor,
  countRecordingRows,
  getRecordingRow,
  insertRecordingRow,
  lastRecordingId,
  ledgerIdsOf,
  listRecordingRows,
  newRowKey,
  toRecording,
  validateNewRecording,
  type ListRecordingsQuery,
  type NewRecording,
  type Recording,
  type RecordingSelector,
  type RecordingSummary,
} from './recordings.ts';
import { deleteInWorker } from './deletion-in-worker.ts';
import { deleteRowsInChunks, resumeDeletionJobs, ROW_CHUNK, sweepOrphanAudio, type DeletedRows, type DeletionProgress } from './recording-deletion.ts';
import { deleteScanRows, insertScan, listScans, type NewScan, type Scan } from './scans.ts';
import { seal, unseal } from './sealed-box.ts';
import { readSettings, readStoredSettings, validateSettingsPatch, writeSettings, type StoredSettingProblem } from './settings-store.ts';
import { retentionCutoff, startOfLocalDay } from './time-windows.ts';
import {
  deleteVoiceProfiles,
  getVoiceProfile,
  insertVoiceProfile,
  markRecognized,
  VOICE_PROFILE_UNUSED_MS,
  type VoiceProfileStatus,
} from './voice-profile.ts';
import { bytesToInt16, int16ToBytes } from '../../hal/base/wav.ts';

export const DB_FILE = 'history.db';

export interface HistoryStoreOptions {
  dataDir: string;
  clock?: Clock;
  checkpoint?: CheckpointOptions;
  /** Unreferenced audio files younger than this are left alone: another process may be mid-write. */
  orphanGraceMs?: number;
  /** false: the data dir must already exist (read commands); default true. */
  create?: boolean;
}

export type { DeletionProgress, DeletionReceipt, DeletionPath, NewRecording, Recording, RecordingSummary, ListRecordingsQuery, NewScan, Scan, VoiceProfileStatus, ExportSummary };

/**
 * The owner's history on this device: recordings, the transparency ledger, barcode scans,
 * the voice-profile consent, settings. Every mutation runs one at a time (a promise
 * queue), so a deletion never races a half-written recording; every delete resolves only
 * once it is physical and verified (see physical-deletion.ts), with a receipt.
 */
export class HistoryStore {
  readonly dataDir: string;
  readonly dbPath: string;
  /** Persists the gate's ledger: `device.ledger.addSink(store.ledger)`. */
  readonly ledger: LedgerStore;
  readonly #db: Database.Database;
  readonly #audio: AudioFiles;
  readonly #clock: Clock;
  readonly #checkpoint: CheckpointOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #settingsListeners = new Set<(patch: Partial<Settings>, settings: Settings) => void>();
  #deletionListeners = new Set<(path: DeletionPath, selector: RecordingSelector) => void>();
  #progressListeners = new Set<(p: DeletionProgress) => void>();
  #closed = false;
  /** Set when the integrity check after open failed: every later call is refused with it. */
  #corrupt: Error | null = null;

  private constructor(opts: HistoryStoreOptions, db: Database.Database) {
    this.dataDir = opts.dataDir;
    this.dbPath = db.name;
    this.#db = db;
    this.#audio = new AudioFiles(opts.dataDir);
    this.#clock = opts.clock ?? new SystemClock();
    this.#checkpoint = opts.checkpoint ?? {};
    this.ledger = new LedgerStore(db);
  }

  static open(opts: HistoryStoreOptions): HistoryStore {
    // Read commands pass create: false, so a mistyped --data-dir is an error, not a new history.
    prepareDataDir(opts.dataDir, { create: opts.create ?? true });
    const store = new HistoryStore(opts, openHistoryDatabase(join(opts.dataDir, DB_FILE)));
    // Open does no work that grows with the history: an interrupted deletion is finished
    // and orphaned audio swept first thing in the queue, in the background (whenIdle()).
    store.#serial(() => store.#maintain(opts.orphanGraceMs ?? 60_000)).catch((e) =>
      process.stderr.write(`history: ${(e as { code?: string }).code ?? 'HISTORY_MAINTENANCE_FAILED'}: ${(e as Error).message}\n`),
    );
    return store;
  }

  /** The database handle, for tests and the kill harness's integrity check only. */
  get database(): Database.Database {
    return this.#db;
  }

  // ---------------------------------------------------------------- recordings

  /** Seals and stores one recording; resolves with its id once durable. */
  async addRecording(r: NewRecording): Promise<number> {
    validateNewRecording(r);
    return this.#serial(async () => {
      const key = newRowKey();
      const file = this.#audio.newName();
      await this.#audio.write(file, seal(key, int16ToBytes(r.audio), aadFor('audio', file)));
      return insertRecordingRow(this.#db, r, file, key, this.#clock.wallNow());
    });
  }

  listRecordings(q: ListRecordingsQuery = {}): RecordingSummary[] {
    return listRecordingRows(this.#sound(), q);
  }

  getRecording(id: number): Recording {
    return toRecording(getRecordingRow(this.#sound(), id));
  }

  getRecordingAudio(id: number): Int16Array {
    const row = getRecordingRow(this.#sound(), id);
    return bytesToInt16(unseal(row.row_key, this.#audio.read(row.audio_file), aadFor('audio', row.audio_file)));
  }

  countRecordings(): number {
    return this.#sound().prepare('SELECT count(*) FROM recordings').pluck().get() as number;
  }

  deleteRecording(id: number): Promise<DeletionReceipt> {
    return this.#deleteRecordings('one', () => ({ ids: [id] }), { mustExist: id });
  }

  /** "Not meant for me": deletes that request (recording and ledger row) and counts it as a false wake. */
  deleteFalseWake(id: number): Promise<DeletionReceipt> {
    return this.#deleteRecordings('false-wake', () => ({ ids: [id] }), { mustExist: id });
  }

  /**
   * False wakes per local day: the owner's "not meant for me" receipts plus wake streams
   * that ended without speech (the ledger's probable false wakes). Counts only.
   */
  falseWakesPerDay(): { day: string; count: number }[] {
    const days = new Map<string, number>();
    const add = (ms: number) => {
      const d = new Date(ms);
      const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      days.set(key, (days.get(key) ?? 0) + 1);
    };
    for (const n of this.ledger.listNotes({ limit: 10_000 })) if (n.kind === 'receipt' && n.detail.path === 'false-wake') add(n.at);
    for (const e of this.ledger.list({ limit: 10_000 })) if (e.trigger === 'wake' && e.endReason === 'no-speech') add(e.startedAt);
    return [...days].sort(([a], [b]) => b.localeCompare(a)).map(([day, count]) => ({ day, count }));
  }

  /** Recordings that started in [from, to). */
  async deleteRange(from: number, to: number): Promise<DeletionReceipt> {
    if (!(Number.isFinite(from) && Number.isFinite(to) && from <= to)) {
      throw new TallyError('HISTORY_INVALID_RANGE', 'a range needs finite from <= to (epoch ms)');
    }
    return this.#deleteRecordings('range', () => ({ from, to }));
  }

  deleteDevice(deviceId: string): Promise<DeletionReceipt> {
    return this.#deleteRecordings('device', () => ({ deviceId }));
  }

  deleteAll(): Promise<DeletionReceipt> {
    return this.#deleteRecordings('all', () => ({}));
  }

  /** "Alexa, delete what I just said." */
  deleteLast(): Promise<DeletionReceipt> {
    return this.#deleteRecordings('last', () => {
      const id = lastRecordingId(this.#db);
      return { ids: id === null ? [] : [id] };
    });
  }

  /** "Alexa, delete everything I said today." */
  deleteToday(): Promise<DeletionReceipt> {
    return this.#deleteRecordings('today', () => ({ from: startOfLocalDay(this.#clock.wallNow()) }));
  }

  // ---------------------------------------------------------------- retention

  /** Applies the retention setting (recordings, scans, ledger) and the 3-year voice-profile rule. */
  runRetention(now: number = this.#clock.wallNow()): Promise<DeletionReceipt> {
    return this.#serial(async () => {
      const cutoff = retentionCutoff(this.getSettings().retention, now);
      const unusedSince = now - VOICE_PROFILE_UNUSED_MS;
      const recordings = cutoff === null ? null : await this.#removeRecordings('retention', { before: cutoff });
      const done = this.#db.transaction(() => ({
        scans: cutoff === null ? 0 : deleteScanRows(this.#db, { before: cutoff }),
        ledger: cutoff === null ? { count: 0, seqs: [] } : this.ledger.deleteMatching({ before: cutoff }),
        voiceProfiles: deleteVoiceProfiles(this.#db, unusedSince),
      }))();
      const attempts = await checkpointUntilClean(this.#db, this.#checkpoint);
      await verifyGone(this.#db, this.#audio, {
        ...(recordings ? { recordings: recordings.bounded, audioFiles: recordings.audioFiles } : {}),
        table: { name: 'voice_profiles', where: 'COALESCE(last_recognized_at, consented_at) < ?', params: [unusedSince] },
      });
      if (cutoff !== null) this.#verifyLedgerGone({ before: cutoff });
      const r = receipt(
        'retention',
        { scans: done.scans, voiceProfiles: done.voiceProfiles, recordings: recordings?.recordings ?? 0, audioFiles: recordings?.removed ?? 0, ledgerEntries: done.ledger.count },
        attempts,
      );
      // Retention runs daily: a receipt only when it removed something.
      if (r.recordings + r.scans + r.voiceProfiles + r.ledgerEntries > 0) this.#appendReceipt(r, done.ledger.seqs);
      return r;
    });
  }

  // ---------------------------------------------------------------- ledger

  listLedger(q: { limit?: number; offset?: number } = {}): StoredLedgerEntry[] {
    this.#sound();
    return this.ledger.list(q);
  }

  /** Mute-verified notes and deletion receipts, newest first. */
  listLedgerNotes(q: { limit?: number; offset?: number } = {}): StoredLedgerNote[] {
    return this.ledger.listNotes(q);
  }

  /** Walks the ledger's hash chain: intact, or which rows were altered / removed without a receipt. */
  verifyLedger(): ChainReport {
    return this.ledger.verify();
  }

  // ---------------------------------------------------------------- scans

  addScan(s: NewScan): Promise<number> {
    return this.#serial(async () => insertScan(this.#db, s, this.#clock.wallNow()));
  }

  listScans(): Scan[] {
    return listScans(this.#sound());
  }

  deleteScan(id: number): Promise<DeletionReceipt> {
    return this.#serial(async () => {
      const scans = deleteScanRows(this.#db, { id });
      if (!scans) throw new TallyError('HISTORY_NOT_FOUND', `no scan with id ${id}`, { details: { id } });
      const attempts = await checkpointUntilClean(this.#db, this.#checkpoint);
      await verifyGone(this.#db, this.#audio, { table: { name: 'scans', where: 'id = ?', params: [id] } });
      return this.#appendReceipt(receipt('scan', { scans }, attempts), []);
    });
  }

  // ---------------------------------------------------------------- settings

  getSettings(): Settings {
    return readSettings(this.#db);
  }

  /** Only what the owner has changed: applied over the device's configured settings at start. */
  getStoredSettings(problems?: StoredSettingProblem[]): Partial<Settings> {
    return readStoredSettings(this.#db, problems);
  }

  /** Called after every persisted change (in this process), with the patch as applied. */
  onSettingsChanged(listener: (patch: Partial<Settings>, settings: Settings) => void): () => void {
    this.#settingsListeners.add(listener);
    return () => this.#settingsListeners.delete(listener);
  }

  /**
   * Validates and persists a change in one transaction. Turning "don't save" on wipes the
   * existing voice history (physically) before this resolves.
   */
  async setSettings(patch: Partial<Settings>): Promise<{ settings: Settings; wiped: DeletionReceipt | null }> {
    validateSettingsPatch(this.getSettings(), patch as Record<string, unknown>);
    return this.#serial(async () => {
      const before = this.getSettings();
      // Re-validated in the queue: another change may have landed since the call.
      const next = validateSettingsPatch(before, patch as Record<string, unknown>);
      const wasDontSave = before.dontSave;
      this.#db.transaction(() => writeSettings(this.#db, patch))();
      for (const listener of this.#settingsListeners) listener(patch, next);
      const wiped = next.dontSave && !wasDontSave ? await this.#deleteRecordingsNow('dont-save', {}) : null;
      return { settings: next, wiped };
    });
  }

  /**
   * Called as a recording deletion starts (path and what it selects). attachHistory uses it
   * to drop a request still held in RAM that the deletion covers — e.g. the "delete
   * everything I said today" request itself.
   */
  onRecordingsDeleting(listener: (path: DeletionPath, selector: RecordingSelector) => void): () => void {
    this.#deletionListeners.add(listener);
    return () => this.#deletionListeners.delete(listener);
  }

  /** Progress of a running recording deletion (rows, then files), for the CLI and the screen. */
  onDeletionProgress(listener: (p: DeletionProgress) => void): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  // ---------------------------------------------------------------- voice profile

  /** The owner opted in to voice recognition: the consent record (and any profile data, sealed). */
  recordVoiceProfileConsent(profile: Buffer | null = null): Promise<number> {
    return this.#serial(async () => insertVoiceProfile(this.#db, this.#clock.wallNow(), profile));
  }

  voiceProfile(): VoiceProfileStatus | null {
    return getVoiceProfile(this.#db);
  }

  /** Called by the recognizer when it recognises the owner; resets the 3-year clock. */
  markVoiceRecognized(at: number = this.#clock.wallNow()): boolean {
    return markRecognized(this.#db, at);
  }

  /** "Delete my voice." */
  deleteVoiceProfile(): Promise<DeletionReceipt> {
    return this.#serial(async () => {
      const voiceProfiles = deleteVoiceProfiles(this.#db);
      const attempts = await checkpointUntilClean(this.#db, this.#checkpoint);
      await verifyGone(this.#db, this.#audio, { table: { name: 'voice_profiles', where: '1', params: [] } });
      return this.#appendReceipt(receipt('voice-profile', { voiceProfiles }, attempts), []);
    });
  }

  // ---------------------------------------------------------------- export

  /** One uncompressed tar: metadata.json (recordings with words, ledger, scans, settings) and WAV audio. */
  exportArchive(path: string): Promise<ExportSummary> {
    return this.#serial(async () => writeExportArchive(this, path, this.#clock.wallNow()));
  }

  /** Every recording id, oldest first (for export). */
  allRecordingIds(): number[] {
    return this.#db.prepare('SELECT id FROM recordings ORDER BY started_at, id').pluck().all() as number[];
  }

  /** Bytes on disk: database, WAL and audio files (for the bench and the dashboard). */
  diskBytes(): number {
    let total = 0;
    for (const f of [this.dbPath, this.dbPath + '-wal', this.dbPath + '-shm']) total += sizeOf(f);
    for (const f of this.#audio.list()) total += sizeOf(this.#audio.path(f));
    return total;
  }

  /** Resolves once every write and deletion queued so far has finished. */
  async whenIdle(): Promise<void> {
    for (let q = this.#queue; ; q = this.#queue) {
      await q.catch(() => undefined);
      if (q === this.#queue) return;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => undefined);
    this.#db.close();
  }

  // ---------------------------------------------------------------- internals

  /** The database, unless the integrity check found it damaged (then HISTORY_DB_CORRUPT). */
  #sound(): Database.Database {
    if (this.#corrupt) throw this.#corrupt;
    return this.#db;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new TallyError('HISTORY_CLOSED', 'the history store is closed'));
    const guarded = () => (this.#corrupt ? Promise.reject(this.#corrupt) : fn());
    const run = this.#queue.then(guarded, guarded);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #deleteRecordings(path: DeletionPath, select: () => RecordingSelector, opts: { mustExist?: number } = {}): Promise<DeletionReceipt> {
    return this.#serial(() => this.#deleteRecordingsNow(path, select(), opts));
  }

  async #deleteRecordingsNow(path: DeletionPath, selector: RecordingSelector, opts: { mustExist?: number } = {}): Promise<DeletionReceipt> {
    for (const listener of this.#deletionListeners) listener(path, selector);
    // The ledger is history too: the same deletion removes its rows. One / last name their
    // recordings by id, so their ledger ids are read before the rows go; a window selects both.
    const { ids: _ids, upToId: _upTo, ...window } = selector;
    const ledgerSel: LedgerSelector = selector.ids ? { ids: ledgerIdsOf(this.#db, selector.ids) } : window;
    const gone = await this.#removeRecordings(path, selector);
    if (opts.mustExist !== undefined && gone.recordings === 0) {
      throw new TallyError('HISTORY_NOT_FOUND', `no recording with id ${opts.mustExist}`, { details: { id: opts.mustExist } });
    }
    const ledger = this.ledger.deleteMatching(ledgerSel); // one DELETE statement: atomic on its own
    // After a worker's own checkpoint this one finds the WAL empty at once; both count.
    const attempts = gone.checkpointAttempts + (await checkpointUntilClean(this.#db, this.#checkpoint));
    await verifyGone(this.#db, this.#audio, { recordings: gone.bounded, audioFiles: gone.audioFiles });
    this.#verifyLedgerGone(ledgerSel);
    return this.#appendReceipt(receipt(path, { recordings: gone.recordings, audioFiles: gone.removed, ledgerEntries: ledger.count }, attempts), ledger.seqs);
  }

  #verifyLedgerGone(sel: LedgerSelector): void {
    const left = this.ledger.countMatching(sel);
    if (left) throw new TallyError('HISTORY_DELETE_NOT_VERIFIED', `deletion left data behind: ${left} ledger rows`);
  }

  /** The one content-free trace a deletion leaves: "N items deleted at T, verified on disk", chained. */
  #appendReceipt(r: DeletionReceipt, deletedSeqs: number[]): DeletionReceipt {
    const items = r.recordings + r.scans + r.voiceProfiles + r.ledgerEntries;
    this.ledger.appendReceipt(this.#clock.wallNow(), { path: r.path, items, recordings: r.recordings, ledgerEntries: r.ledgerEntries, verified: true }, deletedSeqs);
    return r;
  }

  /**
   * Rows first (in chunks), then files (in batches): a crash in between leaves only sealed
   * files whose key is already gone, and the next open sweeps them. More than one chunk
   * of rows goes to a worker thread, so the commits' fsyncs never hold the event loop;
   * the worker also checks its files are gone (`audioFiles` is then empty).
   */
  async #removeRecordings(path: DeletionPath, selector: RecordingSelector): Promise<DeletedRows & { removed: number; checkpointAttempts: number }> {
    const progress = (p: DeletionProgress) => this.#progressListeners.forEach((l) => l(p));
    if (countRecordingRows(this.#db, selector) > ROW_CHUNK) {
      const done = await deleteInWorker({ dbPath: this.dbPath, dataDir: this.dataDir, path, selector, checkpoint: this.#checkpoint }, progress);
      return { bounded: done.bounded, recordings: done.recordings, removed: done.removed, audioFiles: [], checkpointAttempts: done.checkpointAttempts };
    }
    const gone = await deleteRowsInChunks(this.#db, path, selector, progress);
    const total = gone.audioFiles.length;
    const removed = await this.#audio.remove(gone.audioFiles, { onBatch: (done) => progress({ path, phase: 'files', done, total }) });
    return { ...gone, removed, checkpointAttempts: 0 };
  }

  async #maintain(graceMs: number): Promise<void> {
    try {
      checkIntegrity(this.#db);
    } catch (e) {
      // Fail closed: nothing more is read from or written to a damaged file.
      this.#corrupt = e as Error;
      throw e;
    }
    const leftover = await resumeDeletionJobs(this.#db);
    if (leftover.length) await this.#audio.remove(leftover);
    await sweepOrphanAudio(this.#db, this.#audio, graceMs, () => this.#closed);
    if (leftover.length) await checkpointUntilClean(this.#db, this.#checkpoint);
  }
}

function receipt(
  path: DeletionPath,
  counts: Partial<Pick<DeletionReceipt, 'recordings' | 'audioFiles' | 'scans' | 'voiceProfiles' | 'ledgerEntries'>>,
  checkpointAttempts: number,
): DeletionReceipt {
  return { path, recordings: 0, audioFiles: 0, scans: 0, voiceProfiles: 0, ledgerEntries: 0, ...counts, checkpointAttempts, verified: true };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
