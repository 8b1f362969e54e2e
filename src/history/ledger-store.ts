import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { audioMsOf, type LedgerEntry, type LedgerNote, type LedgerSink } from '../core/ledger/types.ts';
import { chainHash, GENESIS_HASH, gapsCutBy, newNonce, verifyChain, type ChainReport, type ChainRow } from './ledger-chain.ts';

/** A stream entry as stored: with the duration its bytes give and its place in the chain. */
export type StoredLedgerEntry = LedgerEntry & { audioMs: number; seq: number | null; hash: string | null };
export type StoredLedgerNote = LedgerNote & { seq: number | null; hash: string | null };

/** Which ledger rows a deletion covers (receipts are never covered: they prove deletion). */
export interface LedgerSelector {
  ids?: string[];
  from?: number;
  to?: number;
  before?: number;
  deviceId?: string;
}

/**
 * The transparency ledger on disk: what left the device, when, why and to whom, and the
 * content-free notes (mute verified, deletion receipts). It is history too: deletions
 * and retention remove the matching rows physically, and every deletion appends one
 * receipt. Rows are sealed into the hash chain (ledger-chain.ts) when they are final: a
 * stream when it closes, a note at once.
 */
export class LedgerStore implements LedgerSink {
  readonly #upsert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.#upsert = db.prepare(
      `INSERT INTO ledger (id, stream_id, started_at, ended_at, trigger, wake_word, pre_roll_ms, audio_bytes, destination, end_reason, device_id)
       VALUES (@id, @streamId, @startedAt, @endedAt, @trigger, @wakeWord, @preRollMs, @audioBytes, @destination, @endReason, @deviceId)
       ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, audio_bytes = excluded.audio_bytes, end_reason = excluded.end_reason`,
    );
  }

  opened(entry: LedgerEntry): void {
    this.#upsert.run(pick(entry));
  }

  /** Completes and seals the row `opened` wrote. A row deleted while its stream was open stays deleted. */
  closed(entry: LedgerEntry): void {
    this.db.transaction(() => {
      if (!this.db.prepare('SELECT 1 FROM ledger WHERE id = ?').get(entry.id)) return;
      this.#upsert.run(pick(entry));
      this.#seal(entry.id, streamContent(entry));
    })();
  }

  noted(note: LedgerNote): void {
    this.db.transaction(() => this.#insertNote(note))();
  }

  /** Appends the receipt of a deletion that removed `deletedSeqs` from the chain. */
  appendReceipt(at: number, detail: LedgerNote['detail'], deletedSeqs: number[]): StoredLedgerNote {
    return this.db.transaction(() => {
      const all = this.db.prepare('SELECT seq FROM ledger WHERE seq IS NOT NULL ORDER BY seq').pluck().all() as number[];
      const nextSeq = this.#head().seq + 1;
      const gaps = gapsCutBy([...all, ...deletedSeqs].sort((a, b) => a - b), new Set(deletedSeqs), nextSeq);
      const note: LedgerNote = { id: randomUUID(), kind: 'receipt', at, detail: { ...detail, gaps: gaps.map((g) => g.join(':')).join(',') } };
      this.#insertNote(note);
      return { ...note, ...this.#chainFields(note.id) };
    })();
  }

  /** Deletes the selected stream rows and notes (never receipts); returns the chain seqs they held. */
  deleteMatching(sel: LedgerSelector): { count: number; seqs: number[] } {
    const { where, params } = ledgerWhere(sel);
    const rows = this.db.prepare(`DELETE FROM ledger WHERE kind != 'receipt' ${where} RETURNING seq`).all(...params) as { seq: number | null }[];
    return { count: rows.length, seqs: rows.flatMap((r) => (r.seq === null ? [] : [r.seq])) };
  }

  /** How many rows the selector covers (for the deletion check: must be 0 afterwards). */
  countMatching(sel: LedgerSelector): number {
    const { where, params } = ledgerWhere(sel);
    return this.db.prepare(`SELECT count(*) FROM ledger WHERE kind != 'receipt' ${where}`).pluck().get(...params) as number;
  }

  list(q: { limit?: number; offset?: number } = {}): StoredLedgerEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM ledger WHERE kind = 'stream' ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`)
      .all(q.limit ?? 50, q.offset ?? 0) as Record<string, unknown>[];
    return rows.map(toEntry);
  }

  listNotes(q: { limit?: number; offset?: number } = {}): StoredLedgerNote[] {
    const rows = this.db
      .prepare(`SELECT * FROM ledger WHERE kind != 'stream' ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`)
      .all(q.limit ?? 50, q.offset ?? 0) as Record<string, unknown>[];
    return rows.map(toNote);
  }

  /** Walks the whole chain (`tally history verify`, the screen's chain status). */
  verify(): ChainReport {
    const rows = this.db.prepare('SELECT * FROM ledger WHERE seq IS NOT NULL ORDER BY seq').all() as Record<string, unknown>[];
    const unsealed = this.db.prepare('SELECT count(*) FROM ledger WHERE seq IS NULL AND ended_at IS NOT NULL').pluck().get() as number;
    return verifyChain(rows.map(toChainRow), unsealed, this.#head());
  }

  deleteBefore(before: number): number {
    return this.deleteMatching({ before }).count;
  }

  #insertNote(note: LedgerNote): void {
    this.db
      .prepare(
        `INSERT INTO ledger (id, kind, stream_id, started_at, ended_at, trigger, wake_word, pre_roll_ms, audio_bytes, destination, end_reason, device_id, detail)
         VALUES (?, ?, 0, ?, ?, 'none', NULL, 0, 0, '', NULL, '', ?)`,
      )
      .run(note.id, note.kind, note.at, note.at, JSON.stringify(note.detail));
    this.#seal(note.id, noteContent(note));
  }

  /** Gives a final row the next seq and links it to the chain head (inside a transaction). */
  #seal(id: string, content: (nonce: string) => string): void {
    const already = this.db.prepare('SELECT seq FROM ledger WHERE id = ?').pluck().get(id) as number | null;
    if (already !== null && already !== undefined) return;
    const head = this.#head();
    const nonce = newNonce();
    const seq = head.seq + 1;
    const hash = chainHash(head.hash, content(nonce));
    this.db.prepare('UPDATE ledger SET seq = ?, nonce = ?, prev_hash = ?, hash = ? WHERE id = ?').run(seq, nonce, head.hash, hash, id);
    this.db.prepare('INSERT INTO ledger_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(seq, hash);
  }

  #head(): { seq: number; hash: string } {
    return (this.db.prepare('SELECT seq, hash FROM ledger_head WHERE id = 1').get() as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH };
  }

  #chainFields(id: string): { seq: number | null; hash: string | null } {
    return this.db.prepare('SELECT seq, hash FROM ledger WHERE id = ?').get(id) as { seq: number | null; hash: string | null };
  }
}

function pick(e: LedgerEntry): Record<string, unknown> {
  const { id, streamId, startedAt, endedAt, trigger, wakeWord, preRollMs, audioBytes, destination, endReason, deviceId } = e;
  return { id, streamId, startedAt, endedAt, trigger, wakeWord, preRollMs, audioBytes, destination, endReason, deviceId };
}

const streamContent = (e: LedgerEntry) => (nonce: string) =>
  JSON.stringify(['stream', e.id, e.streamId, e.startedAt, e.endedAt, e.trigger, e.wakeWord, e.preRollMs, e.audioBytes, e.destination, e.endReason, e.deviceId, nonce]);

const noteContent = (n: LedgerNote) => (nonce: string) => JSON.stringify([n.kind, n.id, n.at, sortedJson(n.detail), nonce]);

function sortedJson(detail: LedgerNote['detail']): string {
  return JSON.stringify(Object.fromEntries(Object.entries(detail).sort(([a], [b]) => a.localeCompare(b))));
}

function ledgerWhere(s: LedgerSelector): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (s.ids) (parts.push('id IN (SELECT value FROM json_each(?))'), params.push(JSON.stringify(s.ids)));
  if (s.from !== undefined) (parts.push('started_at >= ?'), params.push(s.from));
  if (s.to !== undefined) (parts.push('started_at < ?'), params.push(s.to));
  if (s.before !== undefined) (parts.push('started_at < ?'), params.push(s.before));
  if (s.deviceId !== undefined) (parts.push("kind = 'stream' AND device_id = ?"), params.push(s.deviceId));
  return { where: parts.map((p) => `AND ${p}`).join(' '), params };
}

function toEntry(r: Record<string, unknown>): StoredLedgerEntry {
  const audioBytes = r.audio_bytes as number;
  return {
    id: r.id as string,
    streamId: r.stream_id as number,
    startedAt: r.started_at as number,
    endedAt: r.ended_at as number | null,
    trigger: r.trigger as LedgerEntry['trigger'],
    wakeWord: r.wake_word as string | null,
    preRollMs: r.pre_roll_ms as number,
    audioBytes,
    audioMs: audioMsOf(audioBytes),
    destination: r.destination as string,
    endReason: r.end_reason as LedgerEntry['endReason'],
    deviceId: r.device_id as string,
    seq: r.seq as number | null,
    hash: r.hash as string | null,
  };
}

function toNote(r: Record<string, unknown>): StoredLedgerNote {
  return {
    id: r.id as string,
    kind: r.kind as LedgerNote['kind'],
    at: r.started_at as number,
    detail: JSON.parse((r.detail as string | null) ?? '{}') as LedgerNote['detail'],
    seq: r.seq as number | null,
    hash: r.hash as string | null,
  };
}

function toChainRow(r: Record<string, unknown>): ChainRow {
  const nonce = r.nonce as string;
  const kind = r.kind as string;
  let content: string;
  let gaps: [number, number][] = [];
  if (kind === 'stream') {
    content = streamContent(toEntry(r))(nonce);
  } else {
    const note = toNote(r);
    content = noteContent(note)(nonce);
    const g = note.detail.gaps;
    if (kind === 'receipt' && typeof g === 'string' && g) gaps = g.split(',').map((p) => p.split(':').map(Number) as [number, number]);
  }
  return { seq: r.seq as number, prevHash: r.prev_hash as string, hash: r.hash as string, content, gaps };
}
