import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import type { LedgerEntry } from '../../src/core/ledger/types.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { attachHistory } from '../../src/history/attach-history.ts';
import { createSimHarness } from '../support/sim-device.ts';
import { markerNeedles, markerRecording, newMarker, scanDir, tempDirs } from '../history/helpers.ts';

/**
 * The ledger is history too: the deletions that cover recordings remove the matching
 * ledger rows physically (byte scan for a marker in the row), "don't save" keeps the
 * ledger in RAM only, retention sweeps it, every deletion leaves one content-free
 * receipt, and the rows form a hash chain that `verify` checks.
 */
const newDir = tempDirs();
const day = (d: number, h = 12) => new Date(2026, 0, d, h).getTime();
let n = 0;

function entry(over: Partial<LedgerEntry>): LedgerEntry {
  n++;
  return {
    id: `ledger-${n}-${newMarker()}`, streamId: n, startedAt: day(5), endedAt: day(5) + 2000, trigger: 'wake', wakeWord: 'alexa',
    preRollMs: 500, audioBytes: 64_000, destination: 'sim://x', endReason: 'processed', deviceId: 'kitchen', ...over,
  };
}

function addStream(store: HistoryStore, e: LedgerEntry): void {
  store.ledger.opened(e);
  store.ledger.closed(e);
}

const CASES = [
  { path: 'all', target: {}, keeper: null, remove: (s: HistoryStore) => s.deleteAll() },
  { path: 'range', target: { startedAt: day(5) }, keeper: { startedAt: day(7) }, remove: (s: HistoryStore) => s.deleteRange(day(5, 0), day(6, 0)) },
  { path: 'device', target: {}, keeper: { deviceId: 'kitchen' }, remove: (s: HistoryStore, m: string) => s.deleteDevice(m) },
] as const;

describe('deletions remove the matching ledger rows physically, and leave a receipt', () => {
  for (const c of CASES) {
    it(`${c.path}: no byte of the ledger row is left on disk; the chain still verifies`, async () => {
      const dir = newDir();
      const store = HistoryStore.open({ dataDir: dir, clock: new ManualClock(0, day(9)) });
      const marker = newMarker();
      const keeperMarker = newMarker();
      // The marker is the row's device id (for the device case) or its wake word: bytes the scan can find.
      addStream(store, entry({ ...c.target, wakeWord: marker, deviceId: c.path === 'device' ? marker : 'kitchen' }));
      if (c.keeper) addStream(store, entry({ ...c.keeper, wakeWord: keeperMarker }));
      await store.addRecording(markerRecording(newMarker(), { startedAt: day(5), endedAt: day(5) + 1000, deviceId: c.path === 'device' ? marker : 'kitchen' }));
      await store.whenIdle();
      expect(scanDir(dir, markerNeedles(marker)).length).toBeGreaterThan(0);
      const receipt = await c.remove(store, marker);
      expect(receipt).toMatchObject({ ledgerEntries: 1, verified: true });
      expect(scanDir(dir, markerNeedles(marker))).toEqual([]);
      if (c.keeper) expect(scanDir(dir, markerNeedles(keeperMarker)).length).toBeGreaterThan(0);
      const [note] = store.listLedgerNotes();
      expect(note).toMatchObject({ kind: 'receipt', detail: { path: c.path, items: 2, ledgerEntries: 1, recordings: 1, verified: true } });
      expect(store.verifyLedger()).toMatchObject({ intact: true, bridgedGaps: 1 });
      await store.close();
    });
  }
});

describe('"don\'t save" keeps the ledger in RAM only; retention applies to it', () => {
  it('with dontSave the device still shows this boot\'s activity, and nothing is written', async () => {
    const dir = newDir();
    const h = await createSimHarness({ settings: { dontSave: true } });
    const store = HistoryStore.open({ dataDir: dir, clock: h.clock });
    await store.setSettings({ dontSave: true });
    const detach = attachHistory(h.device, store);
    h.sim.actionButton!.press();
    await h.speak(600);
    h.voice.simulate('processing', 1);
    await h.speak(100);
    expect(h.device.ledger.entries()).toHaveLength(1);
    expect(store.listLedger()).toEqual([]);
    expect(store.database.prepare("SELECT count(*) FROM ledger WHERE kind = 'stream'").pluck().get()).toBe(0);
    detach();
    await store.close();
    await h.device.stop();
  });

  it('the default 3-month retention sweeps ledger rows as it sweeps recordings', async () => {
    const store = HistoryStore.open({ dataDir: newDir() });
    addStream(store, entry({ startedAt: Date.UTC(2025, 0, 1) }));
    addStream(store, entry({ startedAt: Date.UTC(2025, 8, 1) }));
    const r = await store.runRetention(Date.UTC(2025, 8, 15));
    expect(r.ledgerEntries).toBe(1);
    expect(store.listLedger()).toHaveLength(1);
    expect(store.verifyLedger().intact).toBe(true);
    await store.close();
  });
});

describe('tamper-evident ledger', () => {
  it('an edited, inserted or silently removed row breaks the chain; receipts keep it verifiable', async () => {
    const store = HistoryStore.open({ dataDir: newDir() });
    for (let i = 0; i < 5; i++) addStream(store, entry({ startedAt: day(3 + i) }));
    expect(store.verifyLedger()).toMatchObject({ intact: true, sealed: 5, problems: [] });
    await store.deleteRange(day(4, 0), day(5, 0));
    const afterDelete = store.verifyLedger();
    expect(afterDelete).toMatchObject({ intact: true, sealed: 5, bridgedGaps: 1 });
    const db = store.database;
    db.prepare("UPDATE ledger SET audio_bytes = 1 WHERE seq = 3").run();
    expect(store.verifyLedger().problems).toEqual([{ seq: 3, code: 'LEDGER_ROW_ALTERED' }]);
    db.prepare("UPDATE ledger SET audio_bytes = 64000 WHERE seq = 3").run();
    db.prepare('DELETE FROM ledger WHERE seq = 4').run();
    expect(store.verifyLedger().problems).toEqual([{ seq: 5, code: 'LEDGER_ROWS_MISSING' }]);
    await store.close();
  });

  it('a recomputed hash on an edited row is caught by the link of the next row', async () => {
    const store = HistoryStore.open({ dataDir: newDir() });
    for (let i = 0; i < 3; i++) addStream(store, entry({}));
    // Flip the first hex digit (a hash that already starts with 'f' would otherwise stay as it was: 1 run in 16).
    store.database.prepare("UPDATE ledger SET hash = (CASE substr(hash, 1, 1) WHEN 'f' THEN 'e' ELSE 'f' END) || substr(hash, 2) WHERE seq = 2").run();
    const codes = store.verifyLedger().problems.map((p) => p.code);
    expect(codes).toEqual(['LEDGER_ROW_ALTERED', 'LEDGER_LINK_BROKEN']);
    await store.close();
  });
});

describe('tamper-evident ledger: the newest rows', () => {
  it('removing the newest rows without a receipt is caught (the head is kept apart)', async () => {
    const store = HistoryStore.open({ dataDir: newDir() });
    for (let i = 0; i < 3; i++) addStream(store, entry({}));
    store.database.prepare('DELETE FROM ledger WHERE seq = 3').run();
    expect(store.verifyLedger().problems).toEqual([{ seq: 3, code: 'LEDGER_ROWS_MISSING' }]);
    await store.close();
  });
});
