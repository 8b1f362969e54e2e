import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileMuteStore, MemoryMuteStore } from '../../src/core/mute/mute-store.ts';

// Records the order of the file-system calls `save` makes, passing each through.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const spy = <K extends 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync'>(k: K) => vi.fn(real[k]) as unknown as (typeof real)[K];
  return { ...real, openSync: spy('openSync'), writeSync: spy('writeSync'), fsyncSync: spy('fsyncSync'), closeSync: spy('closeSync'), renameSync: spy('renameSync') };
});

const dataDir = () => mkdtempSync(join(tmpdir(), 'tally-mute-store-'));

afterEach(() => vi.clearAllMocks());

describe('the mute state on disk', () => {
  it('a fresh device (no file yet) is unmuted, with no problem', () => {
    expect(new FileMuteStore(dataDir()).load()).toEqual({ muted: false });
  });

  it('survives a restart both ways: a new store on the same data dir reads what the last one saved', () => {
    const dir = dataDir();
    new FileMuteStore(dir).save(true);
    expect(new FileMuteStore(dir).load()).toEqual({ muted: true });
    new FileMuteStore(dir).save(false);
    expect(new FileMuteStore(dir).load()).toEqual({ muted: false });
    expect(JSON.parse(readFileSync(join(dir, 'mute.json'), 'utf8'))).toEqual({ muted: false });
  });

  it('creates a data dir that does not exist yet, and saves over an existing file', () => {
    const dir = join(dataDir(), 'not', 'yet');
    const store = new FileMuteStore(dir);
    store.save(true);
    store.save(true);
    expect(new FileMuteStore(dir).load()).toEqual({ muted: true });
    expect(readdirSync(dir)).toEqual(['mute.json']);
  });

  it.each([
    ['torn JSON', '{"muted": tru'],
    ['no "muted" field', '{}'],
    ['a string', '{"muted": "false"}'],
    ['a number', '{"muted": 0}'],
    ['null', 'null'],
    ['empty', ''],
  ])('a file with %s fails closed: muted, MUTE_STATE_CORRUPT', (_what, text) => {
    const dir = dataDir();
    writeFileSync(join(dir, 'mute.json'), text);
    const r = new FileMuteStore(dir).load();
    expect(r.muted).toBe(true);
    expect(r.problem?.code).toBe('MUTE_STATE_CORRUPT');
    expect(r.problem?.message).toContain('staying muted');
  });

  it('a file that exists but cannot be read fails closed: muted, MUTE_STATE_UNREADABLE', () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'mute.json')); // EISDIR on read
    const r = new FileMuteStore(dir).load();
    expect(r.muted).toBe(true);
    expect(r.problem?.code).toBe('MUTE_STATE_UNREADABLE');
    expect(r.problem?.message).toContain('staying muted');
  });

  it('is written to a temp file, flushed to disk, closed, then renamed over the old one (a power cut leaves old or new)', () => {
    const dir = dataDir();
    const path = join(dir, 'mute.json');
    new FileMuteStore(dir).save(true);
    const calls = (['openSync', 'writeSync', 'fsyncSync', 'closeSync', 'renameSync'] as const).map((k) => ({
      k,
      order: vi.mocked(fs[k]).mock.invocationCallOrder,
      args: vi.mocked(fs[k]).mock.calls,
    }));
    for (const c of calls) expect(c.order, c.k).toHaveLength(1);
    const order = calls.map((c) => c.order[0]!);
    expect(order).toEqual([...order].sort((a, b) => a - b)); // open < write < fsync < close < rename
    const [open, write, fsync, close, rename] = calls;
    expect(open!.args[0]![0]).toBe(`${path}.tmp`);
    const fd = vi.mocked(fs.openSync).mock.results[0]!.value as number;
    expect(write!.args[0]![0]).toBe(fd);
    expect(fsync!.args[0]![0]).toBe(fd);
    expect(close!.args[0]![0]).toBe(fd);
    expect(rename!.args[0]).toEqual([`${path}.tmp`, path]);
  });

  it('the file on disk is exactly one line of JSON a person can read, and nothing else is left next to it', () => {
    const dir = dataDir();
    new FileMuteStore(dir).save(true);
    expect(readFileSync(join(dir, 'mute.json'), 'utf8')).toBe('{"muted":true}\n');
    expect(readdirSync(dir)).toEqual(['mute.json']);
  });

  it('a fail-closed load names the file and keeps the reason it could not be used', () => {
    const dir = dataDir();
    const path = join(dir, 'mute.json');
    mkdirSync(path);
    const unreadable = new FileMuteStore(dir).load().problem!;
    expect(unreadable.message).toBe(`cannot read ${path}; staying muted`);
    expect((unreadable.cause as NodeJS.ErrnoException).code).toBe('EISDIR');

    const corrupt = dataDir();
    writeFileSync(join(corrupt, 'mute.json'), '{"muted": "yes"}');
    const wrongType = new FileMuteStore(corrupt).load().problem!;
    expect(wrongType.message).toBe(`${join(corrupt, 'mute.json')} is corrupt; staying muted`);
    expect((wrongType.cause as Error).message).toBe('no boolean "muted"');
    writeFileSync(join(corrupt, 'mute.json'), '{"muted": tru');
    expect(new FileMuteStore(corrupt).load().problem!.cause).toBeInstanceOf(SyntaxError);
  });

  it('the in-memory store (tests, boards without storage) starts unmuted unless told otherwise', () => {
    expect(new MemoryMuteStore().load()).toEqual({ muted: false });
    const s = new MemoryMuteStore(true);
    expect(s.load()).toEqual({ muted: true });
    s.save(false);
    expect(s.load()).toEqual({ muted: false });
  });
});
