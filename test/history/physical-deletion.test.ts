import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AudioFiles } from '../../src/history/audio-files.ts';
import { checkpointUntilClean, verifyGone } from '../../src/history/physical-deletion.ts';

// The last two steps of every deletion, on their own and in this thread (the deletion
// worker runs the same code where Stryker cannot see it): the write-ahead log is really
// emptied, and nothing selected is still on disk.
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function wal() {
  const dir = mkdtempSync(join(tmpdir(), 'tally-physdel-'));
  const file = join(dir, 'history.db');
  const db = new Database(file);
  open.push(db);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE recordings (id INTEGER PRIMARY KEY, started_at INTEGER, device_id TEXT, audio_file TEXT); CREATE TABLE scans (id INTEGER PRIMARY KEY, code TEXT)');
  const add = db.prepare('INSERT INTO recordings (started_at, device_id, audio_file) VALUES (?, ?, ?)');
  for (let i = 0; i < 20; i++) add.run(i, 'kitchen', `a${i}.wav`);
  return { dir, file, db, walBytes: () => (existsSync(file + '-wal') ? statSync(file + '-wal').size : 0) };
}

/** A second connection holding a read snapshot: the checkpoint cannot truncate under it. */
function reader(file: string) {
  const r = new Database(file, { readonly: true });
  open.push(r);
  r.exec('BEGIN');
  r.prepare('SELECT count(*) FROM recordings').pluck().get();
  return { release: () => r.exec('COMMIT') };
}

describe('physical deletion: the write-ahead log', () => {
  it('is emptied to 0 bytes in one attempt when nobody reads; the busy timeout is what it was', async () => {
    const { db, walBytes } = wal();
    db.pragma('busy_timeout = 1234');
    db.exec('DELETE FROM recordings WHERE id < 10');
    expect(walBytes()).toBeGreaterThan(0);
    expect(await checkpointUntilClean(db)).toBe(1);
    expect(walBytes()).toBe(0);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it('waits for a reader holding an old snapshot, retrying, and only returns once the log is empty', async () => {
    const { db, file, walBytes } = wal();
    db.exec('DELETE FROM recordings WHERE id < 10');
    const r = reader(file);
    db.exec('DELETE FROM recordings WHERE id < 15'); // a frame the reader's snapshot predates
    setTimeout(() => r.release(), 120);
    const attempts = await checkpointUntilClean(db, { retryMs: 10, timeoutMs: 5_000 });
    expect(attempts).toBeGreaterThan(2);
    expect(walBytes()).toBe(0);
  });

  it('gives up after timeoutMs with a coded error that says how often it tried; the reader is not blocked meanwhile', async () => {
    const { db, file, walBytes } = wal();
    const r = reader(file);
    db.exec('DELETE FROM recordings WHERE id < 10');
    const started = Date.now();
    let ticks = 0;
    const t = setInterval(() => ticks++, 5);
    const err = await checkpointUntilClean(db, { retryMs: 10, timeoutMs: 100 }).catch((e: unknown) => e);
    clearInterval(t);
    expect(err).toMatchObject({ code: 'HISTORY_DELETE_NOT_VERIFIED', details: { walBytes: walBytes() } });
    expect((err as Error).message).toContain('within 100 ms');
    const attempts = (err as { details: { attempts: number } }).details.attempts;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThan(40);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(ticks).toBeGreaterThan(0); // waited asynchronously, the event loop kept running
    r.release();
    expect(await checkpointUntilClean(db)).toBe(1);
  });
});

describe('physical deletion: the final check', () => {
  it('passes when the selected rows, files and table rows are gone', async () => {
    const { dir, db } = wal();
    const audio = new AudioFiles(dir);
    db.exec("DELETE FROM recordings WHERE device_id = 'kitchen'");
    await expect(verifyGone(db, audio, { recordings: { deviceId: 'kitchen' }, audioFiles: ['a1.wav'], table: { name: 'scans', where: 'id = ?', params: [1] } })).resolves.toBeUndefined();
  });

  it('names what was left behind: recording rows, audio files, other rows', async () => {
    const { dir, db } = wal();
    const audio = new AudioFiles(dir);
    db.prepare('INSERT INTO scans (id, code) VALUES (1, ?)').run('4006381333931');
    writeFileSync(audio.path('a3.wav'), 'sealed');
    await expect(verifyGone(db, audio, { recordings: { ids: [1, 2] } })).rejects.toMatchObject({ code: 'HISTORY_DELETE_NOT_VERIFIED', message: 'deletion left data behind: 2 recording rows' });
    await expect(verifyGone(db, audio, { audioFiles: ['a2.wav', 'a3.wav'] })).rejects.toThrow(/^deletion left data behind: audio file a3\.wav$/);
    await expect(verifyGone(db, audio, { table: { name: 'scans', where: 'id = ?', params: [1] } })).rejects.toThrow(/^deletion left data behind: 1 scans rows$/);
    await expect(verifyGone(db, audio, { table: { name: 'scans', where: 'id = ?', params: [2] } })).resolves.toBeUndefined();
  });

  it('lists at most five leftovers and counts the rest', async () => {
    const { dir, db } = wal();
    const audio = new AudioFiles(dir);
    const names = Array.from({ length: 7 }, (_, i) => `f${i}.wav`);
    for (const n of names) writeFileSync(audio.path(n), 'x');
    await expect(verifyGone(db, audio, { recordings: { from: 0 }, audioFiles: names })).rejects.toThrow(
      /^deletion left data behind: 20 recording rows, audio file f0\.wav, audio file f1\.wav, audio file f2\.wav, audio file f3\.wav and 3 more$/,
    );
    await expect(verifyGone(db, audio, { audioFiles: names.slice(0, 5) })).rejects.toThrow(/f4\.wav$/);
  });
});
