import type Database from 'better-sqlite3';
import type { LedgerEntry, LedgerSink } from '../core/ledger/types.ts';

/**
 * The transparency ledger on disk: what left the device, when, why and to whom. It holds
 * no audio and no words, so it is kept when recordings are deleted (it is the owner's
 * proof of what was sent); retention sweeps it like recordings.
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
    this.#upsert.run(entry);
  }

  closed(entry: LedgerEntry): void {
    this.#upsert.run(entry);
  }

  list(q: { limit?: number; offset?: number } = {}): LedgerEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM ledger ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?')
      .all(q.limit ?? 50, q.offset ?? 0) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as string,
      streamId: r.stream_id as number,
      startedAt: r.started_at as number,
      endedAt: r.ended_at as number | null,
      trigger: r.trigger as LedgerEntry['trigger'],
      wakeWord: r.wake_word as string | null,
      preRollMs: r.pre_roll_ms as number,
      audioBytes: r.audio_bytes as number,
      destination: r.destination as string,
      endReason: r.end_reason as LedgerEntry['endReason'],
      deviceId: r.device_id as string,
    }));
  }

  deleteBefore(before: number): number {
    return this.db.prepare('DELETE FROM ledger WHERE started_at < ?').run(before).changes;
  }
}
