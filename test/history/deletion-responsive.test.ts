import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore, type DeletionProgress } from '../../src/history/history-store.ts';
import { createSimHarness, type SimHarness } from '../support/sim-device.ts';
import { populateRecordings } from '../support/history-fixture.ts';
import { markerNeedles, markerRecording, newMarker, scanDir, tempDir } from './helpers.ts';
import { scaledTimeout } from '../support/timeout-scale.ts';

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function openStore(): HistoryStore {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = HistoryStore.open({ dataDir: t.dir });
  cleanups.push(() => store.close());
  return store;
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** A device with a button-opened stream, ready for a mute press. */
async function streaming(): Promise<SimHarness> {
  const h = await createSimHarness();
  cleanups.push(() => h.device.stop());
  h.sim.actionButton!.press();
  await h.speak(400);
  expect(h.voice.streams).toHaveLength(1);
  return h;
}

/**
 * The mute edge arrives as an event-loop callback (as a GPIO interrupt does); counts the
 * event-loop turns until the relay is commanded open and the stream aborted.
 */
async function turnsUntilMuted(h: SimHarness): Promise<number> {
  const stream = h.voice.streams.at(-1)!;
  setImmediate(() => h.sim.muteButton!.press());
  for (let turns = 1; turns < 10_000; turns++) {
    await nextTurn();
    if (h.sim.relay!.commanded === 'open' && stream.end?.kind === 'abort' && stream.end.reason === 'mute') return turns;
  }
  throw new Error('mute never took effect');
}

describe('deletion never blocks the device', () => {
  it('mute in the middle of deleting 10k synced recordings opens the relay and aborts the stream as fast as without a delete', { timeout: scaledTimeout(180_000) }, async () => {
    const bound = await turnsUntilMuted(await streaming());

    const store = openStore();
    await store.whenIdle();
    populateRecordings(store, 10_000);
    const progress: DeletionProgress[] = [];
    store.onDeletionProgress((p) => progress.push(p));
    const h = await streaming();
    let finished = false;
    const deletion = store.deleteAll().finally(() => (finished = true));
    // Well under way: every row gone, unlinking has started.
    while (!progress.some((p) => p.phase === 'files' && p.done > 0) && !finished) await nextTurn();

    const turns = await turnsUntilMuted(h);
    expect(finished).toBe(false); // the press was handled in the middle of the delete...
    expect(progress.at(-1)!.done).toBeLessThan(10_000);
    expect(turns).toBeLessThanOrEqual(bound); // ...within the same bound as on an idle device
    expect(h.sim.microphone.isOpen).toBe(false);

    const receipt = await deletion;
    expect(receipt).toMatchObject({ path: 'all', recordings: 10_000, audioFiles: 10_000, verified: true });
    expect(readdirSync(join(store.dataDir, 'audio'))).toEqual([]);
    const files = progress.filter((p) => p.phase === 'files');
    expect(files.at(-1)).toEqual({ path: 'all', phase: 'files', done: 10_000, total: 10_000 });
    expect(progress.filter((p) => p.phase === 'rows').at(-1)).toEqual({ path: 'all', phase: 'rows', done: 10_000, total: 10_000 });
  });

  it('a deletion interrupted by a crash is finished at the next open, physically', async () => {
    const store = openStore();
    const marker = newMarker();
    const keep = await store.addRecording(markerRecording(newMarker(), { deviceId: 'bedroom' }));
    for (let i = 0; i < 3; i++) await store.addRecording(markerRecording(marker));
    // What the first transaction of deleteDevice('kitchen') leaves behind if the process dies right after it.
    store.database.prepare('INSERT INTO deletion_jobs (path, selector) VALUES (?, ?)').run('device', JSON.stringify({ deviceId: 'kitchen', upToId: 1e9 }));
    await store.close();

    const reopened = HistoryStore.open({ dataDir: store.dataDir, orphanGraceMs: 0 });
    cleanups.push(() => reopened.close());
    await reopened.whenIdle();
    expect(reopened.listRecordings().map((r) => r.id)).toEqual([keep]);
    expect(reopened.database.prepare('SELECT count(*) FROM deletion_jobs').pluck().get()).toBe(0);
    expect(readdirSync(join(store.dataDir, 'audio'))).toHaveLength(1);
    expect(scanDir(store.dataDir, markerNeedles(marker))).toEqual([]);
  });

  it('a deletion covers only what existed when it started: a recording saved meanwhile stays', async () => {
    const store = openStore();
    await store.whenIdle();
    populateRecordings(store, 600);
    const deletion = store.deleteAll();
    const later = store.addRecording(markerRecording(newMarker()));
    const [receipt, id] = await Promise.all([deletion, later]);
    expect(receipt.recordings).toBe(600);
    expect(store.listRecordings().map((r) => r.id)).toEqual([id]);
  });
});
