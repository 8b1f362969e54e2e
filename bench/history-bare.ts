import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { int16ToBytes } from '../hal/base/wav.ts';
import type { NewRecording } from '../src/history/recordings.ts';

/**
 * The plainest durable save of a recording, the reference for the store's insert and its
 * disk overhead: the raw PCM written to its own file and fsynced, and one INSERT of the
 * same metadata and words (plain text, no sealing, no key) into a bare table of a WAL
 * database with synchronous=FULL — no sealed box, no temporary file + rename, no directory
 * fsync, no migrations or indexes beyond the rowid.
 */
export class BareRecordingSink {
  readonly #db: Database.Database;
  readonly #dir: string;
  readonly #dbPath: string;
  readonly #insert: Database.Statement;
  #n = 0;

  constructor(dir: string) {
    mkdirSync(join(dir, 'audio'), { recursive: true });
    this.#dir = dir;
    this.#dbPath = join(dir, 'bare.db');
    this.#db = new Database(this.#dbPath);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(`CREATE TABLE r (id INTEGER PRIMARY KEY, started_at INTEGER, ended_at INTEGER, trigger TEXT, pre_roll_ms INTEGER,
      device_id TEXT, audio_samples INTEGER, audio_file TEXT, transcript TEXT, response_text TEXT)`);
    this.#insert = this.#db.prepare('INSERT INTO r (started_at, ended_at, trigger, pre_roll_ms, device_id, audio_samples, audio_file, transcript, response_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  }

  async add(r: NewRecording): Promise<void> {
    const name = `${++this.#n}.pcm`;
    const fh = await open(join(this.#dir, 'audio', name), 'w', 0o600);
    try {
      await fh.writeFile(int16ToBytes(r.audio));
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.#insert.run(r.startedAt, r.endedAt, r.trigger, r.preRollMs, r.deviceId, r.audio.length, name, r.transcript ?? null, r.responseText ?? null);
  }

  /** Database bytes once the WAL is checkpointed into it (the audio files hold exactly the PCM). */
  settledDbBytes(): number {
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(this.#dbPath).size;
  }

  close(): void {
    this.#db.close();
  }
}
