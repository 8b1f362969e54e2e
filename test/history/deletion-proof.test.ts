import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { HistoryStore, type DeletionReceipt } from '../../src/history/history-store.ts';
import type { NewRecording } from '../../src/history/recordings.ts';
import { populateRecordings } from '../support/history-fixture.ts';
import { markerNeedles, markerRecording, newMarker, recordingSecrets, rowSecrets, scanDir, tempDirs } from './helpers.ts';

/**
 * Invariant 7, one test per deletion path: a unique marker goes into the audio, the
 * transcript and the response; it must never be on disk in plaintext (everything is
 * sealed), and after the deletion neither the marker nor the sealed bytes nor the row
 * key may be found in any file of the data dir — also while another connection holds a
 * read snapshot that blocks the checkpoint.
 */
const day = (d: number, h = 12) => new Date(2026, 0, d, h).getTime(); // local time, as "today" is

interface PathCase {
  path: DeletionReceipt['path'];
  /** The recording that must go. */
  target: Partial<NewRecording>;
  /** A recording this path must leave alone (its bytes prove the scan can see the database). */
  keeper?: Partial<NewRecording>;
  remove: (store: HistoryStore, targetId: number) => Promise<DeletionReceipt>;
}

const CASES: PathCase[] = [
  { path: 'one', target: {}, keeper: {}, remove: (s, id) => s.deleteRecording(id) },
  {
    path: 'range',
    target: { startedAt: day(5), endedAt: day(5) + 3000 },
    keeper: { startedAt: day(7), endedAt: day(7) + 3000 },
    remove: (s) => s.deleteRange(day(5, 0), day(6, 0)),
  },
  {
    path: 'device',
    target: { deviceId: 'bedroom' },
    keeper: { deviceId: 'kitchen' },
    remove: (s) => s.deleteDevice('bedroom'),
  },
  { path: 'all', target: {}, remove: (s) => s.deleteAll() },
  {
    path: 'last',
    target: { startedAt: day(9), endedAt: day(9) + 3000 },
    keeper: { startedAt: day(8), endedAt: day(8) + 3000 },
    remove: (s) => s.deleteLast(),
  },
  {
    path: 'today',
    target: { startedAt: day(10, 9), endedAt: day(10, 9) + 3000 },
    keeper: { startedAt: day(9, 22), endedAt: day(9, 22) + 3000 },
    remove: (s) => s.deleteToday(),
  },
  {
    path: 'dont-save',
    target: {},
    remove: async (s) => (await s.setSettings({ dontSave: true })).wiped!,
  },
  {
    path: 'retention',
    target: { startedAt: day(1), endedAt: day(1) + 3000 },
    keeper: { startedAt: day(9), endedAt: day(9) + 3000 },
    remove: async (s) => {
      await s.setSettings({ retention: '3-months' });
      return s.runRetention(new Date(2026, 3, 5).getTime());
    },
  },
];

const tempDir = tempDirs();

function openStore(): HistoryStore {
  const dir = tempDir();
  // "Now" is 10 January 2026, 15:00 local time.
  const store = HistoryStore.open({ dataDir: dir, clock: new ManualClock(0, day(10, 15)), checkpoint: { retryMs: 10 } });
  return store;
}

/** A second connection holding a read snapshot (so the checkpoint cannot finish) until released. */
// Held for a second: long enough that the checkpoint meets it even when an async unlink and fsync are slow on a loaded machine.
function holdSnapshot(dbPath: string, releaseAfterMs: number): { released: Promise<void> } {
  const reader = new Database(dbPath, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM recordings').get();
  return {
    released: new Promise((resolve) =>
      setTimeout(() => {
        reader.exec('COMMIT');
        reader.close();
        resolve();
      }, releaseAfterMs),
    ),
  };
}

describe.each([false, true])('deletion is physical (concurrent reader: %s)', (withReader) => {
  it.each(CASES)('$path leaves no marker, sealed byte or row key anywhere in the data dir', async (c) => {
    const store = openStore();
    const marker = newMarker();
    const keeperMarker = newMarker();
    const keeperId = c.keeper ? await store.addRecording(markerRecording(keeperMarker, c.keeper)) : null;
    const targetId = await store.addRecording(markerRecording(marker, c.target));

    // Sealed from the first write: the plaintext never reached the disk at all.
    expect(scanDir(store.dataDir, [...markerNeedles(marker), ...markerNeedles(keeperMarker)])).toEqual([]);
    const secrets = recordingSecrets(store, targetId);
    const keeperSecrets = keeperId === null ? [] : recordingSecrets(store, keeperId);
    // The scan can see what is there: the target's sealed bytes are found before deletion.
    expect(scanDir(store.dataDir, secrets).length).toBeGreaterThan(0);

    const reader = withReader ? holdSnapshot(store.dbPath, 1000) : null;
    const receipt = await c.remove(store, targetId);
    await reader?.released;

    expect(receipt).toMatchObject({ path: c.path, verified: true, recordings: 1, audioFiles: 1 });
    if (withReader) expect(receipt.checkpointAttempts).toBeGreaterThan(1);
    expect(scanDir(store.dataDir, [...markerNeedles(marker), ...secrets])).toEqual([]);
    expect(() => store.getRecording(targetId)).toThrow(expect.objectContaining({ code: 'HISTORY_NOT_FOUND' }));

    if (keeperId !== null) {
      expect(store.getRecording(keeperId).transcript).toContain(keeperMarker);
      expect(Array.from(store.getRecordingAudio(keeperId))).toEqual(Array.from(markerRecording(keeperMarker).audio));
      // Positive control: the kept row's key is still found by the very same scan.
      expect(scanDir(store.dataDir, [keeperSecrets[0]!]).length).toBeGreaterThan(0);
    }
    expect(store.database.pragma('integrity_check', { simple: true })).toBe('ok');
    await store.close();
  });

  it('a deletion big enough for the worker thread (401 rows, in chunks) leaves nothing behind either', async () => {
    const store = openStore();
    await store.whenIdle();
    populateRecordings(store, 600); // 400 from 'kitchen', 200 from 'bedroom'
    const marker = newMarker();
    const keeperMarker = newMarker();
    const keeperId = await store.addRecording(markerRecording(keeperMarker, { deviceId: 'bedroom' }));
    const targetId = await store.addRecording(markerRecording(marker, { deviceId: 'kitchen' }));
    const secrets = recordingSecrets(store, targetId);
    expect(scanDir(store.dataDir, secrets).length).toBeGreaterThan(0);
    const progress: { phase: string; done: number; total: number }[] = [];
    // A reader holding a snapshot from before the deletion until well after its files are gone.
    const reader = withReader ? new Database(store.dbPath, { readonly: true }) : null;
    reader?.exec('BEGIN');
    reader?.prepare('SELECT count(*) FROM recordings').get();
    let released: Promise<void> = Promise.resolve();
    store.onDeletionProgress((p) => {
      progress.push(p);
      if (reader && p.phase === 'files' && p.done === p.total) released = new Promise((r) => setTimeout(() => (reader.exec('COMMIT'), reader.close(), r()), 500));
    });
    const receipt = await store.deleteDevice('kitchen');
    await released;

    expect(receipt).toMatchObject({ path: 'device', verified: true, recordings: 401, audioFiles: 401 });
    if (withReader) expect(receipt.checkpointAttempts).toBeGreaterThan(1);
    expect(progress.filter((p) => p.phase === 'rows').map((p) => p.done)).toEqual([256, 401]);
    expect(scanDir(store.dataDir, [...markerNeedles(marker), ...secrets])).toEqual([]);
    expect(store.listRecordings({ limit: 1000 }).every((r) => r.deviceId === 'bedroom')).toBe(true);
    expect(store.getRecording(keeperId).transcript).toContain(keeperMarker);
    expect(store.database.pragma('integrity_check', { simple: true })).toBe('ok');
    await store.close();
  });

  it('scan: code, image and results leave nothing behind', async () => {
    const store = openStore();
    const marker = newMarker();
    const id = await store.addScan({ code: marker, format: 'ean_13', image: Buffer.from(`img ${marker}`), results: { title: marker } });
    const keep = await store.addScan({ code: '4006381333931', format: 'ean_13', image: null, results: [] });
    expect(scanDir(store.dataDir, markerNeedles(marker))).toEqual([]);
    expect(store.listScans().find((s) => s.id === id)).toMatchObject({ code: marker, results: { title: marker } });
    const secrets = rowSecrets(store, 'scans', ['code', 'image', 'results']).slice(0, 4);

    const reader = withReader ? holdSnapshot(store.dbPath, 1000) : null;
    const receipt = await store.deleteScan(id);
    await reader?.released;

    expect(receipt).toMatchObject({ path: 'scan', scans: 1, verified: true });
    expect(scanDir(store.dataDir, [...markerNeedles(marker), ...secrets])).toEqual([]);
    expect(store.listScans().map((s) => s.id)).toEqual([keep]);
    await store.close();
  });

  it('voice profile: "delete my voice" leaves nothing behind', async () => {
    const store = openStore();
    const marker = newMarker();
    await store.recordVoiceProfileConsent(Buffer.from(`embedding ${marker}`));
    expect(store.voiceProfile()).toMatchObject({ hasProfileData: true, lastRecognizedAt: null });
    expect(scanDir(store.dataDir, markerNeedles(marker))).toEqual([]);
    const secrets = rowSecrets(store, 'voice_profiles', ['profile']);
    expect(scanDir(store.dataDir, secrets).length).toBeGreaterThan(0);

    const reader = withReader ? holdSnapshot(store.dbPath, 1000) : null;
    const receipt = await store.deleteVoiceProfile();
    await reader?.released;

    expect(receipt).toMatchObject({ path: 'voice-profile', voiceProfiles: 1, verified: true });
    expect(store.voiceProfile()).toBeNull();
    expect(scanDir(store.dataDir, [...markerNeedles(marker), ...secrets])).toEqual([]);
    await store.close();
  });
});

describe('voice profile retention', () => {
  it('deletes a profile unused for three years, physically, and keeps one recognised recently', async () => {
    const store = openStore();
    const marker = newMarker();
    await store.recordVoiceProfileConsent(Buffer.from(marker));
    const secrets = rowSecrets(store, 'voice_profiles', ['profile']);
    const consented = store.voiceProfile()!.consentedAt;
    const year = 365.25 * 24 * 3600 * 1000;

    store.markVoiceRecognized(consented + 1 * year);
    expect((await store.runRetention(consented + 3.5 * year)).voiceProfiles).toBe(0);
    expect(store.voiceProfile()).not.toBeNull();

    const receipt = await store.runRetention(consented + 4.01 * year);
    expect(receipt).toMatchObject({ path: 'retention', voiceProfiles: 1, verified: true });
    expect(store.voiceProfile()).toBeNull();
    expect(scanDir(store.dataDir, [...markerNeedles(marker), ...secrets])).toEqual([]);
    await store.close();
  });
});
