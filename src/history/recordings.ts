import type Database from 'better-sqlite3';
import type { Trigger } from '../core/attention/types.ts';
import { TRIGGERS } from '../core/attention/types.ts';
import { TallyError } from '../../hal/base/errors.ts';
import { newRowKey, sealText, unsealText } from './sealed-box.ts';

/** What the device hands the store after a stream closes. */
export interface NewRecording {
  /** 16-bit mono PCM, exactly what was sent. */
  audio: Int16Array;
  sampleRate?: number;
  transcript?: string | null;
  responseText?: string | null;
  trigger: Trigger;
  preRollMs: number;
  deviceId: string;
  /** Wall-clock epoch ms. */
  startedAt: number;
  endedAt: number;
  falseWake?: boolean;
  streamId?: number | null;
  ledgerId?: string | null;
}

/** One line of the review list: metadata only, never audio or words. */
export interface RecordingSummary {
  id: number;
  startedAt: number;
  endedAt: number;
  createdAt: number;
  durationMs: number;
  trigger: Trigger;
  preRollMs: number;
  deviceId: string;
  falseWake: boolean;
  streamId: number | null;
  ledgerId: string | null;
  hasTranscript: boolean;
}

export interface Recording extends RecordingSummary {
  sampleRate: number;
  transcript: string | null;
  responseText: string | null;
}

export interface ListRecordingsQuery {
  limit?: number;
  /** Skips rows one by one (cost grows with the offset): prefer `after`. */
  offset?: number;
  /**
   * Keyset cursor: the page starts right after this recording in the list's order (newest
   * first) — pass the last row of the previous page. An index seek, so every page costs
   * the same however deep it is.
   */
  after?: { startedAt: number; id: number };
  /** Inclusive, epoch ms (recording start). */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
  deviceId?: string;
}

export interface RecordingRow {
  id: number;
  started_at: number;
  ended_at: number;
  created_at: number;
  trigger: Trigger;
  pre_roll_ms: number;
  device_id: string;
  false_wake: number;
  stream_id: number | null;
  ledger_id: string | null;
  sample_rate: number;
  audio_samples: number;
  audio_file: string;
  row_key: Buffer;
  transcript: Buffer | null;
  response_text: Buffer | null;
}

/** A sealed field's additional data: its purpose and the recording it belongs to. */
export const aadFor = (field: 'audio' | 'transcript' | 'response', audioFile: string): string => `${field}:${audioFile}`;

export function validateNewRecording(r: NewRecording): void {
  if (!(r.audio instanceof Int16Array)) throw invalid('audio must be an Int16Array of 16-bit PCM');
  if (!TRIGGERS.includes(r.trigger)) {
    throw new TallyError('HISTORY_INVALID_RECORDING', `unknown trigger "${String(r.trigger)}"`, { validOptions: TRIGGERS });
  }
  for (const k of ['startedAt', 'endedAt', 'preRollMs'] as const) {
    if (!Number.isFinite(r[k]) || r[k] < 0) throw invalid(`${k} must be a non-negative number`);
  }
  if (r.endedAt < r.startedAt) throw invalid('endedAt is before startedAt');
  if (typeof r.deviceId !== 'string' || r.deviceId === '') throw invalid('deviceId must be a non-empty string');
}

function invalid(message: string): TallyError {
  return new TallyError('HISTORY_INVALID_RECORDING', message);
}

/** Seals the words and builds the row; the audio file is written separately under `audioFile`. */
export function insertRecordingRow(db: Database.Database, r: NewRecording, audioFile: string, key: Buffer, createdAt: number): number {
  const info = db
    .prepare(
      `INSERT INTO recordings (started_at, ended_at, created_at, trigger, pre_roll_ms, device_id, false_wake,
         stream_id, ledger_id, sample_rate, audio_samples, audio_file, row_key, transcript, response_text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      Math.round(r.startedAt),
      Math.round(r.endedAt),
      createdAt,
      r.trigger,
      Math.round(r.preRollMs),
      r.deviceId,
      r.falseWake ? 1 : 0,
      r.streamId ?? null,
      r.ledgerId ?? null,
      r.sampleRate ?? 16_000,
      r.audio.length,
      audioFile,
      key,
      sealText(key, r.transcript ?? null, aadFor('transcript', audioFile)),
      sealText(key, r.responseText ?? null, aadFor('response', audioFile)),
    );
  return Number(info.lastInsertRowid);
}

export { newRowKey };

const SUMMARY_COLUMNS = `id, started_at, ended_at, created_at, trigger, pre_roll_ms, device_id, false_wake,
  stream_id, ledger_id, transcript IS NOT NULL AS has_transcript`;

export function listRecordingRows(db: Database.Database, q: ListRecordingsQuery): RecordingSummary[] {
  const limit = clampInt(q.limit ?? 50, 1, 1000, 'limit');
  const offset = clampInt(q.offset ?? 0, 0, Number.MAX_SAFE_INTEGER, 'offset');
  const filter = whereClause({ from: q.from, to: q.to, deviceId: q.deviceId });
  let { where } = filter;
  const params = [...filter.params];
  if (q.after !== undefined) {
    if (!Number.isFinite(q.after.startedAt) || !Number.isInteger(q.after.id)) {
      throw new TallyError('HISTORY_INVALID_QUERY', 'after must be { startedAt, id } of a listed recording');
    }
    where += `${where ? ' AND' : 'WHERE'} (started_at, id) < (?, ?)`;
    params.push(q.after.startedAt, q.after.id);
  }
  const rows = db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM recordings ${where} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...params, limit, offset) as (RecordingRow & { has_transcript: number })[];
  return rows.map(toSummary);
}

export function getRecordingRow(db: Database.Database, id: number): RecordingRow {
  const row = db.prepare('SELECT * FROM recordings WHERE id = ?').get(id) as RecordingRow | undefined;
  if (!row) throw new TallyError('HISTORY_NOT_FOUND', `no recording with id ${id}`, { details: { id } });
  return row;
}

export function toRecording(row: RecordingRow): Recording {
  return {
    ...toSummary({ ...row, has_transcript: row.transcript ? 1 : 0 }),
    sampleRate: row.sample_rate,
    transcript: unsealText(row.row_key, row.transcript, aadFor('transcript', row.audio_file)),
    responseText: unsealText(row.row_key, row.response_text, aadFor('response', row.audio_file)),
  };
}

function toSummary(row: Omit<RecordingRow, 'row_key' | 'transcript' | 'response_text' | 'audio_file' | 'sample_rate' | 'audio_samples'> & { has_transcript: number }): RecordingSummary {
  return {
    id: row.id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    createdAt: row.created_at,
    durationMs: row.ended_at - row.started_at,
    trigger: row.trigger,
    preRollMs: row.pre_roll_ms,
    deviceId: row.device_id,
    falseWake: row.false_wake === 1,
    streamId: row.stream_id,
    ledgerId: row.ledger_id,
    hasTranscript: row.has_transcript === 1,
  };
}

/** Which recordings a deletion path covers; every field narrows the set. */
export interface RecordingSelector {
  ids?: number[];
  from?: number;
  to?: number;
  deviceId?: string;
  /** Recordings that started before this instant (retention). */
  before?: number;
  /** Only rows that existed when a deletion started (set by the deletion itself). */
  upToId?: number;
}

export function whereClause(s: RecordingSelector): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (s.ids) {
    parts.push(`id IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(s.ids));
  }
  if (s.from !== undefined) (parts.push('started_at >= ?'), params.push(s.from));
  if (s.to !== undefined) (parts.push('started_at < ?'), params.push(s.to));
  if (s.before !== undefined) (parts.push('started_at < ?'), params.push(s.before));
  if (s.deviceId !== undefined) (parts.push('device_id = ?'), params.push(s.deviceId));
  if (s.upToId !== undefined) (parts.push('id <= ?'), params.push(s.upToId));
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/**
 * Deletes up to `limit` of the selected rows (lowest ids first); returns their ids and the
 * audio files they owned (to unlink after commit).
 */
export function deleteRecordingRows(db: Database.Database, s: RecordingSelector, limit = -1): { ids: number[]; audioFiles: string[] } {
  const { where, params } = whereClause(s);
  const rows = db
    .prepare(`DELETE FROM recordings WHERE id IN (SELECT id FROM recordings ${where} ORDER BY id LIMIT ?) RETURNING id, audio_file`)
    .all(...params, limit) as { id: number; audio_file: string }[];
  return { ids: rows.map((r) => r.id), audioFiles: rows.map((r) => r.audio_file) };
}

/** The ledger rows these recordings were sent under (a recording deletion removes them too). */
export function ledgerIdsOf(db: Database.Database, ids: readonly number[]): string[] {
  if (ids.length === 0) return [];
  return db
    .prepare(`SELECT ledger_id FROM recordings WHERE id IN (${ids.map(() => '?').join(',')}) AND ledger_id IS NOT NULL`)
    .pluck()
    .all(...ids) as string[];
}

export function countRecordingRows(db: Database.Database, s: RecordingSelector): number {
  const { where, params } = whereClause(s);
  return db.prepare(`SELECT count(*) FROM recordings ${where}`).pluck().get(...params) as number;
}

export function maxRecordingId(db: Database.Database): number {
  return (db.prepare('SELECT max(id) FROM recordings').pluck().get() as number | null) ?? 0;
}

/** Which of `names` a recording row still refers to (an indexed lookup per name, never a full scan). */
export function referencedAmong(db: Database.Database, names: readonly string[]): Set<string> {
  const rows = db
    .prepare('SELECT audio_file FROM recordings WHERE audio_file IN (SELECT value FROM json_each(?))')
    .pluck()
    .all(JSON.stringify(names)) as string[];
  return new Set(rows);
}

export function lastRecordingId(db: Database.Database): number | null {
  const r = db.prepare('SELECT id FROM recordings ORDER BY started_at DESC, id DESC LIMIT 1').get() as { id: number } | undefined;
  return r?.id ?? null;
}

function clampInt(v: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new TallyError('HISTORY_INVALID_QUERY', `${name} must be an integer from ${min} to ${max}`);
  }
  return v;
}
