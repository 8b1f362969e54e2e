import { describe, expect, it } from 'vitest';
import { handleRequest, type RequestContext } from '../../src/display/request-handler.ts';
import { historyForDisplay } from '../../src/display/history-adapter.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { FakeDevice } from '../ui/fakes.ts';
import { markerRecording, newMarker, tempDirs } from '../history/helpers.ts';

const newDir = tempDirs();

describe('false wakes on the screen', () => {
  it('the history flags probable false wakes; "not meant for me" deletes and counts; the activity page shows per-day counts and the chain', async () => {
    const store = HistoryStore.open({ dataDir: newDir() });
    const day = new Date(2026, 0, 5, 12).getTime();
    const e = { id: 'led-1', streamId: 1, startedAt: day, endedAt: day + 900, trigger: 'wake' as const, wakeWord: 'alexa', preRollMs: 500, audioBytes: 28_800, destination: 'sim', endReason: 'no-speech' as const, deviceId: 'kitchen' };
    store.ledger.opened(e);
    store.ledger.closed(e);
    const id = await store.addRecording(markerRecording(newMarker(), { startedAt: day, endedAt: day + 900, falseWake: true, ledgerId: 'led-1', streamId: 1 }));
    const ctx: RequestContext = { device: new FakeDevice() as never, history: historyForDisplay(store), catalog: { name: 'none', lookup: async () => [] }, historyChanged: () => {} };
    const list = (await handleRequest(ctx, { op: 'list-recordings', limit: 10, offset: 0 })) as { falseWake: boolean; trigger: string }[];
    expect(list[0]).toMatchObject({ falseWake: true, trigger: 'wake' });
    const before = (await handleRequest(ctx, { op: 'privacy-status' })) as { falseWakesPerDay: { day: string; count: number }[] };
    expect(before.falseWakesPerDay).toEqual([{ day: '2026-01-05', count: 1 }]); // the ledger's no-speech wake
    await handleRequest(ctx, { op: 'not-meant-for-me', id: String(id) });
    expect(store.countRecordings()).toBe(0);
    expect(store.listLedger()).toEqual([]);
    const after = (await handleRequest(ctx, { op: 'privacy-status' })) as { chain: { intact: boolean }; receipts: { detail: { path: string } }[]; falseWakesPerDay: unknown[] };
    expect(after.receipts[0]!.detail.path).toBe('false-wake');
    expect(after.chain.intact).toBe(true);
    expect(after.falseWakesPerDay).toHaveLength(1); // counted once: the receipt replaced the ledger row
    await store.close();
  });
});
