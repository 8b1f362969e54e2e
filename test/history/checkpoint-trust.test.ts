import type Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkpointUntilClean } from '../../src/history/physical-deletion.ts';

// Defence in depth for the last step of every deletion: SQLite's own checkpoint report and
// the size of the -wal file on disk are each checked on their own. A scripted database
// (real SQLite keeps the two in step, so it cannot show one lying) reports what each
// case needs; the -wal file is a real file whose bytes are what an owner could recover.
type Report = { busy: number; log: number; checkpointed: number };

function scripted(reports: () => Report[], walBytes = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-ckpt-trust-'));
  const name = join(dir, 'history.db');
  if (walBytes > 0) writeFileSync(name + '-wal', Buffer.alloc(walBytes, 0x5a));
  let checkpoints = 0;
  let busyTimeout = 5000;
  const db = {
    name,
    pragma(sql: string) {
      if (sql === 'busy_timeout') return busyTimeout;
      const set = /^busy_timeout = (\d+)$/.exec(sql);
      if (set) return void (busyTimeout = Number(set[1]));
      if (sql === 'wal_checkpoint(TRUNCATE)') return checkpoints++, reports();
      throw new Error(`unexpected pragma ${sql}`);
    },
  };
  return { db: db as unknown as Database.Database, checkpoints: () => checkpoints };
}

const clean: Report = { busy: 0, log: 0, checkpointed: 0 };

afterEach(() => vi.useRealTimers());

describe('physical deletion: a checkpoint is not trusted on its own word', () => {
  it('a clean report and no -wal file on disk is verified at once', async () => {
    expect(await checkpointUntilClean(scripted(() => [clean]).db)).toBe(1);
  });

  it.each([
    ['reports clean while the -wal file still holds 4096 bytes', [clean], 4096],
    ['says a reader blocked it, though the -wal file looks empty', [{ busy: 1, log: 0, checkpointed: 0 }], 0],
    ['says frames are left in the log, though the -wal file looks empty', [{ busy: 0, log: 7, checkpointed: 7 }], 0],
    ['returns no report at all', [], 0],
  ] as const)('a checkpoint that %s is not verified: the deletion says so', async (_what, report, walBytes) => {
    const { db, checkpoints } = scripted(() => [...report], walBytes);
    const err = await checkpointUntilClean(db, { retryMs: 5, timeoutMs: 40 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HISTORY_DELETE_NOT_VERIFIED', details: { walBytes } });
    expect(checkpoints()).toBeGreaterThanOrEqual(2); // it retried before giving up
  });

  it('keeps trying for the whole timeout, and gives up on the first attempt after it has passed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const { db, checkpoints } = scripted(() => [{ busy: 1, log: 3, checkpointed: 0 }], 512);
    let outcome: unknown = 'pending';
    void checkpointUntilClean(db, { retryMs: 50, timeoutMs: 100 }).catch((e: unknown) => (outcome = e));
    await vi.advanceTimersByTimeAsync(100);
    expect(outcome).toBe('pending'); // exactly timeoutMs: still trying (attempts at 0, 50, 100 ms)
    expect(checkpoints()).toBe(3);
    await vi.advanceTimersByTimeAsync(50);
    expect(outcome).toMatchObject({ code: 'HISTORY_DELETE_NOT_VERIFIED', details: { attempts: 4, walBytes: 512 } });
  });

  it('waits about 20 ms between attempts by default: a held reader does not make it spin the CPU', async () => {
    const { db, checkpoints } = scripted(() => [{ busy: 1, log: 3, checkpointed: 0 }], 512);
    const started = Date.now();
    await expect(checkpointUntilClean(db, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'HISTORY_DELETE_NOT_VERIFIED' });
    const elapsed = Date.now() - started;
    expect(checkpoints()).toBeGreaterThanOrEqual(2);
    expect(checkpoints()).toBeLessThanOrEqual(Math.ceil(elapsed / 15) + 2);
  });
});
