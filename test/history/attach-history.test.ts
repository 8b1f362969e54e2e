import { afterEach, describe, expect, it } from 'vitest';
import { attachHistory, RETENTION_INTERVAL_MS } from '../../src/history/attach-history.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { createSimHarness, type SimHarness } from '../support/sim-device.ts';
import { markerNeedles, markerRecording, newMarker, scanDir, tempDir } from './helpers.ts';

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ h: SimHarness; store: HistoryStore; problems: string[] }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const h = await createSimHarness({ autoRespond: true, settings: { saveRecordings: true } });
  const store = HistoryStore.open({ dataDir: t.dir, clock: h.clock });
  cleanups.push(() => store.close());
  cleanups.push(() => h.device.stop());
  return { h, store, problems: [] };
}

/** Wake, speak, let the simulated service answer and the device return to idle. */
async function oneRequest(h: SimHarness, transcript: string | null): Promise<number> {
  await h.speak(600);
  expect(h.wake.trigger()).toBe(true);
  await h.speak(2200); // the sim service answers after 1.5 s of speech
  const id = h.voice.streams.at(-1)!.info.streamId;
  if (transcript !== null) h.voice.simulate('transcript', id, transcript);
  await h.speak(2500); // thinking + speaking
  expect(h.device.view.state).toBe('idle');
  return id;
}

const settled = (store: HistoryStore) => store.whenIdle();

describe('attachHistory on the sim device', () => {
  it('persists the gate ledger and each request: audio exactly as sent, transcript and reply', async () => {
    const { h, store } = await setup();
    const detach = attachHistory(h.device, store, { onProblem: (c) => expect.fail(c) });
    const closed: Int16Array[] = [];
    h.device.on('stream-closed', (s) => closed.push(s.audio));
    const marker = newMarker();
    const streamId = await oneRequest(h, `turn on the lights ${marker}`);
    await settled(store);

    const [ledger] = store.listLedger();
    expect(ledger).toMatchObject({ streamId, trigger: 'wake', endReason: 'processed', destination: h.voice.destination });
    const [summary] = store.listRecordings();
    expect(summary).toMatchObject({ streamId, ledgerId: ledger!.id, trigger: 'wake', preRollMs: 500, falseWake: false });
    const rec = store.getRecording(summary!.id);
    expect(rec.transcript).toBe(`turn on the lights ${marker}`);
    expect(rec.responseText).toMatch(/^\[SIMULATED\]/);
    // Exactly the audio the device reported as sent for that stream...
    const stored = Array.from(store.getRecordingAudio(summary!.id));
    expect(stored).toEqual(Array.from(closed[0]!));
    // ...which is what the service received. (Compared as a prefix: the gate currently records a
    // chunk after writing it, so a chunk that makes the service answer synchronously is missing
    // from ClosedStream.audio and the ledger's audioBytes — reported to the gate's owner.)
    const received = Array.from(h.voice.audioOf(h.voice.streams[0]!));
    expect(stored.length).toBeGreaterThan(received.length - 1281);
    expect(stored).toEqual(received.slice(0, stored.length));
    // Sealed at rest.
    expect(scanDir(store.dataDir, markerNeedles(marker))).toEqual([]);
    detach();
  });

  it('a stream cut short by mute is saved at once, with what had been sent', async () => {
    const { h, store } = await setup();
    const detach = attachHistory(h.device, store);
    await h.speak(600);
    h.device.send({ type: 'button-press' });
    await h.speak(400);
    h.device.send({ type: 'mute', muted: true });
    await h.speak(100);
    await settled(store);
    const [entry] = store.listLedger();
    expect(entry).toMatchObject({ trigger: 'button', endReason: 'mute' });
    const [rec] = store.listRecordings();
    expect(rec).toMatchObject({ trigger: 'button', ledgerId: entry!.id, falseWake: false, hasTranscript: false });
    expect(store.getRecordingAudio(rec!.id).length * 2).toBe(entry!.audioBytes);
    detach();
  });

  it('with "don\'t save" on, nothing of the request reaches the disk and history is wiped', async () => {
    const { h, store } = await setup();
    await store.addRecording(markerRecording(newMarker()));
    const detach = attachHistory(h.device, store);
    await store.setSettings({ dontSave: true });
    expect(h.device.settings.dontSave).toBe(true);
    const marker = newMarker();
    await oneRequest(h, `secret ${marker}`);
    await settled(store);
    expect(store.countRecordings()).toBe(0);
    expect(store.listLedger()).toHaveLength(0); // the ledger stays in RAM: this boot's activity only
    expect(h.device.ledger.entries()).toHaveLength(1); // what left the device is still accounted for
    expect(scanDir(store.dataDir, markerNeedles(marker))).toEqual([]);
    detach();
  });

  it('"don\'t save" set from another process (the CLI) applies to the very next request', async () => {
    const { h, store } = await setup();
    const detach = attachHistory(h.device, store);
    const cli = HistoryStore.open({ dataDir: store.dataDir });
    await cli.setSettings({ dontSave: true });
    await cli.close();
    expect(h.device.settings.dontSave).toBe(false); // the device has not heard of it...
    await oneRequest(h, 'keep this off the disk');
    await settled(store);
    expect(store.countRecordings()).toBe(0); // ...but nothing was saved
    detach();
  });

  it('"delete everything I said today" also drops the request that asked for it', async () => {
    const { h, store } = await setup();
    const detach = attachHistory(h.device, store);
    await oneRequest(h, 'an earlier question');
    await settled(store);
    expect(store.countRecordings()).toBe(1);
    await h.speak(600);
    h.wake.trigger();
    await h.speak(2200);
    const id = h.voice.streams.at(-1)!.info.streamId;
    h.voice.simulate('transcript', id, 'delete everything I said today');
    expect(h.device.view.state).toMatch(/^(thinking|speaking)$/); // the request is still in RAM, not saved
    expect(store.countRecordings()).toBe(1);
    expect(await store.deleteToday()).toMatchObject({ recordings: 1, verified: true });
    await h.speak(2500);
    await settled(store);
    expect(store.countRecordings()).toBe(0);
    // The ledger is history too: today's rows are gone, the asking request's included.
    expect(store.listLedger()).toHaveLength(0);
    expect(store.listLedgerNotes()[0]).toMatchObject({ kind: 'receipt', detail: { path: 'today', recordings: 1, ledgerEntries: 2 } });
    detach();
  });

  it('applies the owner\'s persisted settings to the device at attach', async () => {
    const { h, store } = await setup();
    await store.setSettings({ volume: 0.25, followUp: true });
    attachHistory(h.device, store)();
    expect(h.device.settings).toMatchObject({ volume: 0.25, followUp: true, preRollMs: 500 });
  });

  it('runs retention at attach and again every day on the device clock', async () => {
    const { h, store } = await setup();
    await store.setSettings({ retention: '3-months' });
    const now = h.clock.wallNow();
    const old = (days: number) => markerRecording(newMarker(), { startedAt: now - days * 86_400_000, endedAt: now - days * 86_400_000 + 1000 });
    await store.addRecording(old(200));
    const aging = await store.addRecording(old(91)); // 3 calendar months back is 92 days here: kept today, gone in 3 days
    const detach = attachHistory(h.device, store);
    await settled(store);
    expect(store.listRecordings().map((r) => r.id)).toEqual([aging]);
    h.clock.advance(3 * RETENTION_INTERVAL_MS);
    await settled(store);
    expect(store.countRecordings()).toBe(0);
    detach();
  });
});
