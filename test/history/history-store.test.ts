import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { attachHistory } from '../../src/history/attach-history.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import type { DeletionReceipt } from '../../src/history/history-store.ts';
import { attachPrivacyVoiceCommands } from '../../src/history/privacy-voice-commands.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';
import { SETTING_KEYS } from '../../src/core/settings/schema.ts';
import type { LedgerEntry } from '../../src/core/ledger/types.ts';
import { markerNeedles, markerRecording, newMarker, scanDir, tempDirs } from './helpers.ts';

const dir = tempDirs();

const at = (d: number) => Date.UTC(2026, 0, d, 12);

describe('recordings', () => {
  it('lists newest first, pages, filters by range and device, and never includes audio or words', async () => {
    const store = HistoryStore.open({ dataDir: dir() });
    const ids: number[] = [];
    for (let d = 1; d <= 6; d++) {
      ids.push(await store.addRecording(markerRecording(newMarker(), { startedAt: at(d), endedAt: at(d) + 2500, deviceId: d % 2 ? 'kitchen' : 'bedroom' })));
    }
    const page1 = store.listRecordings({ limit: 4 });
    expect(page1.map((r) => r.id)).toEqual([ids[5], ids[4], ids[3], ids[2]]);
    expect(store.listRecordings({ limit: 4, offset: 4 }).map((r) => r.id)).toEqual([ids[1], ids[0]]);
    expect(store.listRecordings({ from: at(2), to: at(4) }).map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect(store.listRecordings({ deviceId: 'bedroom' }).map((r) => r.deviceId)).toEqual(['bedroom', 'bedroom', 'bedroom']);
    expect(page1[0]).toMatchObject({ durationMs: 2500, trigger: 'wake', preRollMs: 500, hasTranscript: true });
    expect(Object.keys(page1[0]!)).not.toContain('transcript');
    expect(() => store.listRecordings({ limit: 0 })).toThrow(expect.objectContaining({ code: 'HISTORY_INVALID_QUERY' }));
    await store.close();
  });

  it('round-trips audio, transcript and response through the seal', async () => {
    const store = HistoryStore.open({ dataDir: dir() });
    const marker = newMarker();
    const rec = markerRecording(marker, { falseWake: true, trigger: 'button', responseText: null });
    const id = await store.addRecording(rec);
    expect(store.getRecording(id)).toMatchObject({ transcript: rec.transcript, responseText: null, falseWake: true, trigger: 'button' });
    expect(Array.from(store.getRecordingAudio(id))).toEqual(Array.from(rec.audio));
    await store.close();
  });

  it('refuses a sealed field moved to another row (it is bound to its recording)', async () => {
    const store = HistoryStore.open({ dataDir: dir() });
    const a = await store.addRecording(markerRecording(newMarker()));
    const b = await store.addRecording(markerRecording(newMarker()));
    store.database.prepare('UPDATE recordings SET transcript = (SELECT transcript FROM recordings WHERE id = ?), row_key = (SELECT row_key FROM recordings WHERE id = ?) WHERE id = ?').run(a, a, b);
    expect(() => store.getRecording(b)).toThrow(expect.objectContaining({ code: 'HISTORY_SEALED_INVALID' }));
    await store.close();
  });

  it('rejects bad input and unknown ids with codes', async () => {
    const store = HistoryStore.open({ dataDir: dir() });
    await expect(store.addRecording(markerRecording('x', { trigger: 'clap' as never }))).rejects.toMatchObject({
      code: 'HISTORY_INVALID_RECORDING',
      validOptions: ['wake', 'button', 'follow-up'],
    });
    await expect(store.deleteRecording(999)).rejects.toMatchObject({ code: 'HISTORY_NOT_FOUND' });
    await expect(store.deleteRange(5, 1)).rejects.toMatchObject({ code: 'HISTORY_INVALID_RANGE' });
    expect(() => store.getRecordingAudio(999)).toThrow(expect.objectContaining({ code: 'HISTORY_NOT_FOUND' }));
    await store.close();
  });

  it('sweeps audio files no row refers to (left by a crash) in the background after it opens', async () => {
    const d = dir();
    const store = HistoryStore.open({ dataDir: d });
    const id = await store.addRecording(markerRecording(newMarker()));
    await store.close();
    const orphan = join(d, 'audio', 'deadbeef.sealed');
    writeFileSync(orphan, 'left behind');
    const reopened = HistoryStore.open({ dataDir: d, orphanGraceMs: 0 });
    expect(existsSync(orphan)).toBe(true); // open itself never scans the directory
    await reopened.whenIdle();
    expect(existsSync(orphan)).toBe(false);
    expect(reopened.getRecordingAudio(id).length).toBeGreaterThan(0);
    await reopened.close();
  });
});

describe('keyset paging', () => {
  it('pages with `after` list every recording once, in the same order as one big page, ties on startedAt included', async () => {
    const store = HistoryStore.open({ dataDir: dir() });
    const t = Date.UTC(2026, 0, 1);
    // 23 recordings on 9 distinct start times, so pages split inside groups of equal startedAt.
    for (let i = 0; i < 23; i++) await store.addRecording(markerRecording(newMarker(), { startedAt: t + (i % 9) * 1000, endedAt: t + (i % 9) * 1000 + 500 }));
    const all = store.listRecordings({ limit: 100 }).map((r) => r.id);
    const paged: number[] = [];
    let after: { startedAt: number; id: number } | undefined;
    for (;;) {
      const page = store.listRecordings({ limit: 5, ...(after ? { after } : {}) });
      paged.push(...page.map((r) => r.id));
      if (page.length < 5) break;
      after = { startedAt: page.at(-1)!.startedAt, id: page.at(-1)!.id };
    }
    expect(paged).toEqual(all);
    expect(new Set(paged).size).toBe(23);
    // Combined with a filter.
    const kitchen = store.listRecordings({ limit: 3, deviceId: 'kitchen', after: { startedAt: t + 5000, id: 1e9 } });
    expect(kitchen.every((r) => r.startedAt <= t + 5000)).toBe(true);
    expect(() => store.listRecordings({ after: { startedAt: Number.NaN, id: 1 } })).toThrow(expect.objectContaining({ code: 'HISTORY_INVALID_QUERY' }));
    await store.close();
  });
});

describe('settings', () => {
  it('persists validated changes across reopen', async () => {
    const d = dir();
    const store = HistoryStore.open({ dataDir: d });
    expect(store.getSettings().retention).toBe('3-months');
    await store.setSettings({ retention: '18-months', followUp: true, volume: 0.3 });
    await store.close();
    const again = HistoryStore.open({ dataDir: d });
    expect(again.getSettings()).toMatchObject({ retention: '18-months', followUp: true, volume: 0.3 });
    await again.close();
  });

  it('names the valid keys and values when a change is refused, and stores nothing', async () => {
    const store = HistoryStore.open({ dataDir: dir() });
    await expect(store.setSettings({ nope: 1 } as never)).rejects.toMatchObject({ code: 'SETTINGS_UNKNOWN_KEY', validOptions: SETTING_KEYS });
    await expect(store.setSettings({ retention: '1-week' as never })).rejects.toMatchObject({
      code: 'SETTINGS_INVALID_VALUE',
      validOptions: ['keep', '3-months', '18-months'],
    });
    await expect(store.setSettings({ volume: 7 })).rejects.toMatchObject({ code: 'SETTINGS_INVALID_VALUE' });
    expect(store.getSettings()).toMatchObject({ retention: '3-months', volume: 0.6 });
    await store.close();
  });

  it('turning "don\'t save" on wipes the history; turning it on again wipes nothing new', async () => {
    const store = HistoryStore.open({ dataDir: dir() });
    await store.addRecording(markerRecording(newMarker()));
    await store.addRecording(markerRecording(newMarker()));
    expect((await store.setSettings({ dontSave: true })).wiped).toMatchObject({ recordings: 2, verified: true });
    expect(store.countRecordings()).toBe(0);
    expect((await store.setSettings({ dontSave: true })).wiped).toBeNull();
    await store.close();
  });
});

describe('ledger', () => {
  it('persists entries as the gate opens and closes streams', async () => {
    const d = dir();
    const store = HistoryStore.open({ dataDir: d });
    const entry: LedgerEntry = {
      id: 'e1', streamId: 3, startedAt: at(2), endedAt: null, trigger: 'wake', wakeWord: 'alexa', preRollMs: 500,
      audioBytes: 0, destination: 'wyoming://ha.local:10700', endReason: null, deviceId: 'kitchen',
    };
    store.ledger.opened(entry);
    store.ledger.closed({ ...entry, endedAt: at(2) + 4000, audioBytes: 128_000, endReason: 'processed' });
    await store.close();
    const again = HistoryStore.open({ dataDir: d });
    expect(again.listLedger()).toEqual([{ ...entry, endedAt: at(2) + 4000, audioBytes: 128_000, audioMs: 4000, endReason: 'processed', seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    await again.close();
  });
});

describe('retention', () => {
  it('keeps everything on "keep" and sweeps recordings, scans and ledger older than 18 months', async () => {
    const clock = new ManualClock(0, Date.UTC(2024, 0, 1));
    const store = HistoryStore.open({ dataDir: dir(), clock });
    await store.setSettings({ retention: 'keep' });
    const old = await store.addRecording(markerRecording(newMarker(), { startedAt: Date.UTC(2024, 0, 1), endedAt: Date.UTC(2024, 0, 1) + 1 }));
    const recent = await store.addRecording(markerRecording(newMarker(), { startedAt: Date.UTC(2025, 6, 1), endedAt: Date.UTC(2025, 6, 1) + 1 }));
    await store.addScan({ code: '123', format: 'qr_code', image: null, results: null });
    const now = Date.UTC(2025, 8, 1);
    expect((await store.runRetention(now)).recordings).toBe(0);
    await store.setSettings({ retention: '18-months' });
    expect(await store.runRetention(now)).toMatchObject({ recordings: 1, scans: 1, verified: true });
    expect(store.listRecordings().map((r) => r.id)).toEqual([recent]);
    expect(() => store.getRecording(old)).toThrow();
    await store.close();
  });
});

describe('export', () => {
  it('writes one tar with metadata.json and WAV audio that standard tar reads', async () => {
    const d = dir();
    const out = dir();
    const store = HistoryStore.open({ dataDir: d });
    const marker = newMarker();
    const rec = markerRecording(marker);
    const id = await store.addRecording(rec);
    await store.addScan({ code: '4006381333931', format: 'ean_13', image: Buffer.from([1, 2, 3]), results: { ok: true } });
    const archive = join(out, 'export.tar');
    expect(await store.exportArchive(archive)).toMatchObject({ recordings: 1, scans: 1 });
    // The export is the owner's plaintext copy: the same scan that finds nothing in the data dir finds the marker here.
    expect(scanDir(out, markerNeedles(marker)).length).toBeGreaterThan(0);
    expect(scanDir(d, markerNeedles(marker))).toEqual([]);

    execFileSync('tar', ['-xf', archive, '-C', out]);
    const meta = JSON.parse(readFileSync(join(out, 'tally-export', 'metadata.json'), 'utf8'));
    expect(meta.recordings[0]).toMatchObject({ id, transcript: rec.transcript, audio: `audio/${id}.wav` });
    expect(meta.scans[0]).toMatchObject({ code: '4006381333931', image: 'scans/1.img' });
    const wav = readFileSync(join(out, 'tally-export', 'audio', `${id}.wav`));
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16_000);
    expect(wav.readUInt32LE(40)).toBe(rec.audio.length * 2);
    expect(wav.readInt16LE(44 + 2 * 100)).toBe(rec.audio[100]);
    await store.close();
  });
});

describe('a concurrent reader that never lets go', () => {
  it('makes a deletion fail loudly instead of claiming it is verified', async () => {
    const store = HistoryStore.open({ dataDir: dir(), checkpoint: { timeoutMs: 150, retryMs: 10 } });
    const id = await store.addRecording(markerRecording(newMarker()));
    const reader = new Database(store.dbPath, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM recordings').get();
    await expect(store.deleteRecording(id)).rejects.toMatchObject({ code: 'HISTORY_DELETE_NOT_VERIFIED' });
    reader.exec('COMMIT');
    reader.close();
    await store.close();
  });
});

describe('deletion by voice (through the live path: device transcript → attachPrivacyVoiceCommands → store)', () => {
  it('deletes last / today / all while the setting is on, and refuses when it is off', async () => {
    const clock = new ManualClock(0, new Date(2026, 0, 10, 15).getTime());
    const store = HistoryStore.open({ dataDir: dir(), clock });
    const h = await createSimHarness();
    const detachHistory = attachHistory(h.device, store);
    const receipts: DeletionReceipt[] = [];
    const keep = (r: DeletionReceipt) => (receipts.push(r), r);
    const viaStore = { deleteLast: () => store.deleteLast().then(keep), deleteToday: () => store.deleteToday().then(keep), deleteAll: () => store.deleteAll().then(keep) };
    const detachVoice = attachPrivacyVoiceCommands(h.device, viaStore);
    let nextId = 1;
    const say = async (text: string) => {
      (h.voice as unknown as { emit(e: string, ...a: unknown[]): void }).emit('transcript', nextId++, text);
      // "today" / "everything" need the owner's hand on the action button (issue 14).
      if (h.device.view.confirm) h.sim.actionButton!.press();
      await flush();
      await store.whenIdle();
    };
    const on = (d: number, hour: number) => markerRecording(newMarker(), { startedAt: new Date(2026, 0, d, hour).getTime(), endedAt: new Date(2026, 0, d, hour).getTime() + 1000 });
    const yesterday = await store.addRecording(on(9, 20));
    await store.addRecording(on(10, 9));
    const latest = await store.addRecording(on(10, 14));
    await say('delete what I just said');
    expect(receipts.at(-1)).toMatchObject({ path: 'last', recordings: 1, verified: true });
    expect(store.listRecordings().map((r) => r.id)).not.toContain(latest);
    await say('delete everything I said today');
    expect(receipts.at(-1)).toMatchObject({ path: 'today', recordings: 1 });
    expect(store.listRecordings().map((r) => r.id)).toEqual([yesterday]);
    await store.setSettings({ deletionByVoice: false });
    await say('delete everything I said');
    expect(receipts).toHaveLength(2); // refused: the setting is off
    expect(store.countRecordings()).toBe(1);
    await store.setSettings({ deletionByVoice: true });
    await say('delete everything I said');
    expect(receipts.at(-1)).toMatchObject({ path: 'all', recordings: 1 });
    detachVoice();
    detachHistory();
    await h.device.stop();
    await store.close();
  });
});
