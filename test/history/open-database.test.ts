import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE, HistoryStore } from '../../src/history/history-store.ts';
import { SCHEMA_VERSION } from '../../src/history/migrations.ts';
import { markerRecording, newMarker, tempDirs } from './helpers.ts';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const dir = tempDirs();

async function storeWithOneRecording(dataDir: string): Promise<number> {
  const store = HistoryStore.open({ dataDir });
  const id = await store.addRecording(markerRecording(newMarker()));
  await store.close();
  return id;
}

describe('opening the history database', () => {
  it('creates a fresh database at the current schema version, in WAL mode with secure_delete', () => {
    const store = HistoryStore.open({ dataDir: dir() });
    expect(store.database.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.database.pragma('secure_delete', { simple: true })).toBe(1);
    // No full-text index (or any virtual table) whose shadow tables could keep words.
    expect(store.database.prepare("SELECT name FROM sqlite_master WHERE sql LIKE '%VIRTUAL%' OR name LIKE '%fts%'").all()).toEqual([]);
    return store.close();
  });

  it('reopens an existing database with its data intact', async () => {
    const d = dir();
    const id = await storeWithOneRecording(d);
    const store = HistoryStore.open({ dataDir: d });
    expect(store.listRecordings().map((r) => r.id)).toEqual([id]);
    await store.close();
  });

  it('refuses a database from a newer Tally and leaves it untouched', async () => {
    const d = dir();
    await storeWithOneRecording(d);
    const path = join(d, DB_FILE);
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const before = sha(path);
    expect(() => HistoryStore.open({ dataDir: d })).toThrow(expect.objectContaining({ code: 'HISTORY_DB_FROM_FUTURE' }));
    expect(sha(path)).toBe(before);
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const d = dir();
    const path = join(d, DB_FILE);
    writeFileSync(path, 'this is a shopping list, not a database\n'.repeat(200));
    const before = sha(path);
    expect(() => HistoryStore.open({ dataDir: d })).toThrow(expect.objectContaining({ code: 'HISTORY_DB_CORRUPT' }));
    expect(sha(path)).toBe(before);
  });

  it('refuses a SQLite file with corrupted pages and leaves it untouched', async () => {
    const d = dir();
    const store = HistoryStore.open({ dataDir: d });
    for (let i = 0; i < 30; i++) await store.addRecording(markerRecording(newMarker()));
    await store.close();
    const path = join(d, DB_FILE);
    const bytes = readFileSync(path);
    // Keep the 100-byte header, scribble over the rest of page 1 and all later pages.
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(path, bytes);
    const before = sha(path);
    expect(() => HistoryStore.open({ dataDir: d })).toThrow(expect.objectContaining({ code: 'HISTORY_DB_CORRUPT' }));
    expect(sha(path)).toBe(before);
  });

  it('damage past the schema pages is found by the check right after open: every later call is refused, the file untouched', async () => {
    const d = dir();
    const store = HistoryStore.open({ dataDir: d });
    for (let i = 0; i < 60; i++) await store.addRecording(markerRecording(newMarker()));
    await store.close();
    const path = join(d, DB_FILE);
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    expect(bytes.length / pageSize).toBeGreaterThan(4);
    // Scribble over the last page only: the schema still reads, so open succeeds...
    for (let i = bytes.length - pageSize; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(path, bytes);
    const before = sha(path);
    const damaged = HistoryStore.open({ dataDir: d });
    await damaged.whenIdle(); // ...and the integrity check, first in its queue, finds it
    expect(() => damaged.listRecordings()).toThrow(expect.objectContaining({ code: 'HISTORY_DB_CORRUPT' }));
    await expect(damaged.addRecording(markerRecording(newMarker()))).rejects.toMatchObject({ code: 'HISTORY_DB_CORRUPT' });
    await expect(damaged.deleteAll()).rejects.toMatchObject({ code: 'HISTORY_DB_CORRUPT' });
    await damaged.close();
    expect(sha(path)).toBe(before);
  });
});
