import type Database from 'better-sqlite3';

/** Migration 1: the first shipped schema. */
const SCHEMA_V1 = `
      CREATE TABLE recordings (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at    INTEGER NOT NULL,
        ended_at      INTEGER NOT NULL,
        created_at    INTEGER NOT NULL,
        trigger       TEXT    NOT NULL CHECK (trigger IN ('wake', 'button', 'follow-up')),
        pre_roll_ms   INTEGER NOT NULL,
        device_id     TEXT    NOT NULL,
        false_wake    INTEGER NOT NULL DEFAULT 0,
        stream_id     INTEGER,
        ledger_id     TEXT,
        sample_rate   INTEGER NOT NULL,
        audio_samples INTEGER NOT NULL,
        audio_file    TEXT    NOT NULL UNIQUE,
        row_key       BLOB    NOT NULL,
        transcript    BLOB,
        response_text BLOB
      );
      CREATE INDEX recordings_by_start ON recordings (started_at);
      CREATE INDEX recordings_by_device ON recordings (device_id, started_at);

      CREATE TABLE ledger (
        id          TEXT    PRIMARY KEY,
        stream_id   INTEGER NOT NULL,
        started_at  INTEGER NOT NULL,
        ended_at    INTEGER,
        trigger     TEXT    NOT NULL,
        wake_word   TEXT,
        pre_roll_ms INTEGER NOT NULL,
        audio_bytes INTEGER NOT NULL,
        destination TEXT    NOT NULL,
        end_reason  TEXT,
        device_id   TEXT    NOT NULL
      );
      CREATE INDEX ledger_by_start ON ledger (started_at);

      CREATE TABLE scans (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        format     TEXT    NOT NULL,
        row_key    BLOB    NOT NULL,
        code       BLOB    NOT NULL,
        image      BLOB,
        results    BLOB    NOT NULL
      );

      CREATE TABLE voice_profiles (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        consented_at       INTEGER NOT NULL,
        last_recognized_at INTEGER,
        row_key            BLOB    NOT NULL,
        profile            BLOB
      );

      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `;

/**
 * Migration 2: a deletion runs in chunks (so it never holds the event loop); its job row
 * says what it covers, so one interrupted by a crash is finished at the next open.
 */
const DELETION_JOBS_V2 = `
      CREATE TABLE deletion_jobs (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        path     TEXT    NOT NULL,
        selector TEXT    NOT NULL
      );
    `;

/**
 * Versioned schema. `PRAGMA user_version` is the number of migrations applied; each runs
 * in its own transaction. Never edit a shipped migration: append a new one.
 *
 * There is deliberately no full-text index: transcripts are sealed per row, so nothing
 * derived from them (FTS shadow tables, tokens) can outlive a deletion.
 */
export const MIGRATIONS: readonly ((db: Database.Database) => void)[] = [
  (db) => db.exec(SCHEMA_V1),
  (db) => db.exec(DELETION_JOBS_V2),
  // The ledger is history too: notes (mute verified, deletion receipts) and the hash chain.
  (db) =>
    db.exec(`
      ALTER TABLE ledger ADD COLUMN kind TEXT NOT NULL DEFAULT 'stream';
      ALTER TABLE ledger ADD COLUMN seq INTEGER;
      ALTER TABLE ledger ADD COLUMN nonce TEXT;
      ALTER TABLE ledger ADD COLUMN prev_hash TEXT;
      ALTER TABLE ledger ADD COLUMN hash TEXT;
      ALTER TABLE ledger ADD COLUMN detail TEXT;
      CREATE UNIQUE INDEX ledger_by_seq ON ledger (seq);
      CREATE INDEX ledger_by_device ON ledger (device_id, started_at);
      -- The chain's head survives deletion of the newest rows (seqs are never reused).
      CREATE TABLE ledger_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL,
        hash TEXT    NOT NULL
      );
    `),
];

export const SCHEMA_VERSION = MIGRATIONS.length;
