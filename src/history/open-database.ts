import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { TallyError } from '../../hal/base/errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Opens (or creates) the history database. A file that is not SQLite, whose schema cannot
 * be read, or that was written by a newer Tally is refused and left byte-for-byte
 * untouched: every check here only reads, and nothing is written until they all pass.
 * Open costs the same at 1k and 100k recordings: the full page check (`quick_check`,
 * linear in the file) is `checkIntegrity`, which the store runs first in its queue, before
 * any write.
 */
export function openHistoryDatabase(path: string): Database.Database {
  const exists = existsSync(path) && statSync(path).size > 0;
  if (exists) assertSqliteHeader(path);
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: exists });
  } catch (cause) {
    throw corrupt(path, cause);
  }
  try {
    if (exists) assertReadable(db, path);
    configure(db);
    migrate(db);
    // Owner-only, whatever the umask: the metadata (when, which device) is private too.
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function assertSqliteHeader(path: string): void {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(SQLITE_HEADER.length);
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw corrupt(path, undefined, 'is not a SQLite database');
}

function assertReadable(db: Database.Database, path: string): void {
  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    // Reads the whole schema (page 1 and the schema's pages): a scribbled header page fails here.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (cause) {
    throw corrupt(path, cause);
  }
  if (version > SCHEMA_VERSION) {
    throw new TallyError(
      'HISTORY_DB_FROM_FUTURE',
      `history database ${path} has schema version ${version}, newer than this Tally understands (${SCHEMA_VERSION}); upgrade Tally — the file was left untouched`,
      { details: { path, version, supported: SCHEMA_VERSION } },
    );
  }
}

/** Every page checked (linear in the file): throws HISTORY_DB_CORRUPT when any is bad. */
export function checkIntegrity(db: Database.Database): void {
  let check: string;
  try {
    check = String(db.pragma('quick_check', { simple: true }));
  } catch (cause) {
    throw corrupt(db.name, cause);
  }
  if (check !== 'ok') throw corrupt(db.name, undefined, `failed its integrity check (${check.slice(0, 200)})`);
}

function corrupt(path: string, cause?: unknown, why = 'cannot be read'): TallyError {
  return new TallyError(
    'HISTORY_DB_CORRUPT',
    `history database ${path} ${why}; it was left untouched — move it aside to start a new history`,
    { details: { path }, cause },
  );
}

function configure(db: Database.Database): void {
  // Deleted content is overwritten with zeros in the page itself, not just unlinked.
  db.pragma('secure_delete = ON');
  db.pragma('journal_mode = WAL');
  // FULL: a write the store has acknowledged survives power loss, not only a crash.
  db.pragma('synchronous = FULL');
  // No temp files with query scratch data anywhere outside the data dir.
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // We checkpoint ourselves after every deletion; keep the WAL from growing meanwhile.
  db.pragma('wal_autocheckpoint = 256');
}

function migrate(db: Database.Database): void {
  const from = db.pragma('user_version', { simple: true }) as number;
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      MIGRATIONS[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
