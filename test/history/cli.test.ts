import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../support/memory-io.ts';
import { defaultDataDir } from '../../src/history/data-dir.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { markerRecording, newMarker, tempDirs } from './helpers.ts';

const tempDir = tempDirs();

async function seeded(): Promise<{ dir: string; ids: number[] }> {
  const dir = tempDir();
  const store = HistoryStore.open({ dataDir: dir });
  const ids = [];
  for (let d = 1; d <= 4; d++) {
    const startedAt = new Date(2026, 0, d, 12).getTime();
    ids.push(await store.addRecording(markerRecording(newMarker(), { startedAt, endedAt: startedAt + 2000, deviceId: d === 4 ? 'bedroom' : 'kitchen' })));
  }
  await store.close();
  return { dir, ids };
}

async function tally(...argv: string[]) {
  const io = memoryIO();
  const code = await main(argv, io);
  return { code, out: io.lines, err: io.errors };
}

describe('tally history', () => {
  it('list --json prints one object per recording with its id, newest first, no words unless asked', async () => {
    const { dir, ids } = await seeded();
    const r = await tally('history', 'list', '--json', '--data-dir', dir);
    expect(r.code).toBe(0);
    const rows = r.out.map((l) => JSON.parse(l));
    expect(rows.map((x) => x.id)).toEqual([...ids].reverse());
    expect(rows[0]).not.toHaveProperty('transcript');
    const withWords = await tally('history', 'list', '--json', '--transcripts', '--device', 'bedroom', '--data-dir', dir);
    expect(withWords.out.map((l) => JSON.parse(l).transcript)).toEqual([expect.stringMatching(/^what is the weather TALLYMARK-/)]);
    const plain = await tally('history', 'list', '--from', '2026-01-02', '--to', '2026-01-03', '--data-dir', dir);
    expect(plain.out).toHaveLength(1);
    expect(plain.out[0]).toMatch(new RegExp(`^\\s+${ids[1]}\\s`));
  });

  it('play writes the recording as a WAV file', async () => {
    const { dir, ids } = await seeded();
    const out = join(dir, 'one.wav');
    expect((await tally('history', 'play', '--id', String(ids[0]), '--out', out, '--data-dir', dir)).code).toBe(0);
    const wav = readFileSync(out);
    expect(wav.subarray(8, 12).toString('ascii')).toBe('WAVE');
    expect(wav.readUInt32LE(40)).toBe(markerRecording('x').audio.length * 2);
  });

  it('delete by id, range, device, last and all, each reporting a verified receipt', async () => {
    const { dir, ids } = await seeded();
    const del = async (...args: string[]) => JSON.parse((await tally('history', 'delete', '--json', '--data-dir', dir, ...args)).out[0]!);
    expect(await del('--id', String(ids[0]))).toMatchObject({ path: 'one', recordings: 1, verified: true });
    expect(await del('--device', 'bedroom')).toMatchObject({ path: 'device', recordings: 1 });
    expect(await del('--from', '2026-01-02', '--to', '2026-01-03')).toMatchObject({ path: 'range', recordings: 1 });
    expect(await del('--last')).toMatchObject({ path: 'last', recordings: 1 });
    expect(await del('--all')).toMatchObject({ path: 'all', recordings: 0 });
    expect((await tally('history', 'list', '--data-dir', dir)).out).toEqual(['no recordings']);
  });

  it('export writes a tar archive', async () => {
    const { dir } = await seeded();
    const out = join(dir, 'export.tar');
    const r = await tally('history', 'export', '--out', out, '--json', '--data-dir', dir);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ recordings: 4 });
    expect(existsSync(out)).toBe(true);
  });

  it.each([
    [['history', 'frob'], 'CLI_UNKNOWN_SUBCOMMAND', 'list, play, delete, export'],
    [['history', 'delete'], 'CLI_BAD_OPTION', '--all'],
    [['history', 'delete', '--all', '--last'], 'CLI_BAD_OPTION', '--today'],
    [['history', 'delete', '--from', '2026-01-01'], 'CLI_BAD_OPTION', '--from DATE --to DATE'],
    [['history', 'delete', '--id', 'seven'], 'CLI_BAD_OPTION', ''],
    [['history', 'delete', '--id', '999'], 'HISTORY_NOT_FOUND', ''],
    [['history', 'list', '--from', 'yesterday-ish'], 'CLI_BAD_OPTION', ''],
    [['history', 'list', '--colour'], 'CLI_BAD_OPTION', '--data-dir'],
    [['history', 'play'], 'CLI_BAD_OPTION', '--id N'],
    [['history', 'export'], 'CLI_BAD_OPTION', '--out FILE.tar'],
    [['settings', 'set', 'retention', '1-week'], 'SETTINGS_INVALID_VALUE', 'keep, 3-months, 18-months'],
    [['settings', 'set', 'followUp', 'maybe'], 'SETTINGS_INVALID_VALUE', 'true, false'],
    [['settings', 'get', 'colour'], 'SETTINGS_UNKNOWN_KEY', 'preRollMs'],
    [['settings', 'toggle'], 'CLI_UNKNOWN_SUBCOMMAND', 'get, set'],
  ])('%j fails with %s naming the valid options', async (argv, code, valid) => {
    const { dir } = await seeded();
    const r = await tally(...argv, '--data-dir', dir);
    expect(r.code).not.toBe(0);
    expect(r.err.join('\n')).toMatch(new RegExp(`^error ${code}: `));
    if (valid) expect(r.err.join('\n')).toContain(valid);
  });
});

describe('tally settings', () => {
  it('set persists a typed value; get reads one key or all; dontSave wipes the history', async () => {
    const { dir } = await seeded();
    expect((await tally('settings', 'set', 'retention', '3-months', '--data-dir', dir)).out).toEqual(['retention = "3-months"']);
    expect((await tally('settings', 'set', 'volume', '0.4', '--data-dir', dir)).code).toBe(0);
    expect((await tally('settings', 'set', 'wakeWords', 'alexa,hey_jarvis', '--data-dir', dir)).code).toBe(0);
    expect((await tally('settings', 'get', 'volume', '--data-dir', dir)).out).toEqual(['0.4']);
    const all = JSON.parse((await tally('settings', 'get', '--json', '--data-dir', dir)).out[0]!);
    expect(all).toMatchObject({ retention: '3-months', volume: 0.4, wakeWords: ['alexa', 'hey_jarvis'] });
    const wipe = await tally('settings', 'set', 'dontSave', 'true', '--data-dir', dir);
    expect(wipe.out[1]).toBe("don't save is on: deleted 4 recording(s); verified on disk");
  });
});

describe('defaultDataDir', () => {
  it('uses $XDG_DATA_HOME/tally, else ~/.local/share/tally', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x/data' })).toBe('/x/data/tally');
    expect(defaultDataDir({ HOME: '/home/owner' })).toBe('/home/owner/.local/share/tally');
  });
});
