import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import type { LedgerEntry } from '../../src/core/ledger/types.ts';
import { run as settingsCommand } from '../../src/cli/commands/settings.ts';
import { connectionFor, esphomeKeyText, setupPortFor } from '../../src/cli/screen/setup-port.ts';
import { encodeKey, loadOrCreateKey } from '../../src/voice/esphome/key-store.ts';
import { historyForDisplay } from '../../src/display/history-adapter.ts';
import { bucketActivity } from '../../src/display/owner/activity.ts';
import { MuteLog } from '../../src/display/owner/mute-log.ts';
import { activitySchema, requestSchema, setupInfoSchema } from '../../src/display/protocol.ts';
import { handleRequest, type RequestContext } from '../../src/display/request-handler.ts';
import { firstRunPath, readFirstRun } from '../../src/history/first-run.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { LocalCatalog } from '../../src/display/catalog/local-catalog.ts';
import { tempDirs } from '../history/helpers.ts';
import { asDevice, FakeDevice } from './fakes.ts';

const tempDir = tempDirs();
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 0);
const stores: HistoryStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function entry(i: number, startedAt: number, trigger = 'wake', audioBytes = 32_000): LedgerEntry {
  return { id: `e${i}`, streamId: i, startedAt, endedAt: startedAt + 1000, trigger: trigger as LedgerEntry['trigger'], wakeWord: null, preRollMs: 500, audioBytes, destination: 'sim://x', endReason: 'processed', deviceId: 'tally' };
}

function context(opts: { dataDir?: string; store?: HistoryStore } = {}) {
  const device = new FakeDevice();
  device.clock = new ManualClock(0);
  const mutes = new MuteLog(() => T0 + 1000);
  const ctx: RequestContext = {
    device: asDevice(device),
    catalog: new LocalCatalog({}),
    historyChanged: () => changes++,
    mutes,
    ...(opts.store ? { history: historyForDisplay(opts.store) } : {}),
    ...(opts.dataDir ? { setup: setupPortFor({ dataDir: opts.dataDir, connection: () => connectionFor('wyoming', 10700, { hosts: ['192.168.1.50'] }), configuredWakeWords: () => device.settings.wakeWords }) } : {}),
  };
  let changes = 0;
  const ask = (req: unknown) => handleRequest(ctx, requestSchema.parse(req));
  return { device, ctx, ask, changes: () => changes };
}

describe('the activity picture', () => {
  it('counts streams per trigger, seconds from bytes sent, false wakes, and clips mute periods to the window', () => {
    const a = bucketActivity({
      from: T0,
      to: T0 + 3 * HOUR,
      bucketMs: HOUR,
      ledger: [entry(1, T0 + 10), entry(2, T0 + 20, 'button', 64_000), entry(3, T0 + 2 * HOUR + 5, 'service', 16_000), entry(4, T0 - 1), entry(5, T0 + 3 * HOUR)],
      falseWakes: [T0 + 15, T0 + 5 * HOUR],
      muted: [{ from: T0 - HOUR, to: T0 + 30 * 60_000 }, { from: T0 + 4 * HOUR, to: T0 + 5 * HOUR }],
      mutedKnownSince: T0 - HOUR,
      truncated: false,
    });
    expect(activitySchema.parse(a)).toEqual(a);
    expect(a.buckets.map((b) => b.streams)).toEqual([{ wake: 1, button: 1 }, {}, { service: 1 }]);
    expect(a.buckets.map((b) => b.audioSeconds)).toEqual([3, 0, 0.5]);
    expect(a.buckets.map((b) => b.falseWakes)).toEqual([1, 0, 0]);
    expect(a.muted).toEqual([{ from: T0, to: T0 + 30 * 60_000 }]);
  });

  it('reads the ledger page by page past 500 rows, newest first, only inside the window', async () => {
    const store = HistoryStore.open({ dataDir: tempDir() });
    stores.push(store);
    for (let i = 0; i < 700; i++) {
      const e = entry(i, T0 - 2 * HOUR + i * 60_000);
      store.ledger.opened(e);
      store.ledger.closed(e);
    }
    const { ask } = context({ store });
    const a = activitySchema.parse(await ask({ op: 'activity', from: T0, to: T0 + 24 * HOUR, bucketMs: HOUR }));
    const counted = a.buckets.reduce((n, b) => n + Object.values(b.streams).reduce((x, y) => x + y, 0), 0);
    expect(counted).toBe(700 - 120);
    expect(a.buckets[0]!.streams).toEqual({ wake: 60 });
    const hour = (await ask({ op: 'list-ledger', from: T0 + 3 * HOUR, to: T0 + 4 * HOUR, limit: 200 })) as LedgerEntry[];
    expect(hour).toHaveLength(60);
    expect(hour[0]!.startedAt).toBeGreaterThan(hour[59]!.startedAt);
    expect(hour.every((r) => r.startedAt >= T0 + 3 * HOUR && r.startedAt < T0 + 4 * HOUR)).toBe(true);
  });

  it('refuses a window longer than 8 days with INVALID_RANGE', async () => {
    const { ask } = context();
    await expect(ask({ op: 'activity', from: T0, to: T0 + 9 * 24 * HOUR, bucketMs: HOUR })).rejects.toMatchObject({ code: 'INVALID_RANGE' });
  });

  it('false wakes come from the history flag', async () => {
    const store = HistoryStore.open({ dataDir: tempDir() });
    stores.push(store);
    const audio = new Int16Array(3200).fill(500);
    await store.addRecording({ audio, trigger: 'wake', preRollMs: 500, deviceId: 'tally', startedAt: T0 + 10, endedAt: T0 + 1010, falseWake: true });
    await store.addRecording({ audio, transcript: 'hi', trigger: 'wake', preRollMs: 500, deviceId: 'tally', startedAt: T0 + 20, endedAt: T0 + 1020 });
    const { ask } = context({ store });
    const a = activitySchema.parse(await ask({ op: 'activity', from: T0, to: T0 + HOUR, bucketMs: HOUR }));
    expect(a.buckets[0]!.falseWakes).toBe(1);
  });
});

describe('mute periods (RAM only)', () => {
  it('records closed and open periods and bounds how many it keeps', () => {
    let now = 100;
    const log = new MuteLog(() => now, { cap: 2 });
    for (const [m, t] of [[true, 200], [false, 300], [true, 400], [false, 500], [true, 600], [false, 700], [true, 800]] as const) {
      now = t;
      log.observe(m);
    }
    now = 900;
    expect(log.intervals(0, 10_000)).toEqual([{ from: 400, to: 500 }, { from: 600, to: 700 }, { from: 800, to: 900 }]);
    expect(log.intervals(650, 750)).toEqual([{ from: 600, to: 700 }]);
    expect(log.knownSince).toBe(100);
  });
});

describe('first run', () => {
  it('is pending on a new data dir; completing it writes the settings store and the marker; tally settings shows both', async () => {
    const dataDir = tempDir();
    const store = HistoryStore.open({ dataDir });
    stores.push(store);
    const { ask } = context({ dataDir, store });
    const before = setupInfoSchema.parse(await ask({ op: 'get-setup' }));
    expect(before.done).toBe(false);
    expect(before.wakeWords.shipped).toContain('hey_jarvis');
    expect(before.connection).toEqual({ voice: 'wyoming', hosts: ['192.168.1.50'], wyoming: { port: 10700 }, esphome: null });
    await store.setSettings({ dontSave: true });
    const after = setupInfoSchema.parse(await ask({ op: 'complete-setup', choices: { saveRecordings: true, retention: '18-months', wakeWords: ['hey_jarvis'] } }));
    expect(after.done).toBe(true);
    expect(readFirstRun(dataDir)).toEqual({ completedAt: after.completedAt });
    // "Save recordings" really saves: don't-save is turned off with it.
    expect(store.getSettings()).toMatchObject({ saveRecordings: true, retention: '18-months', wakeWords: ['hey_jarvis'], dontSave: false });
    const lines: string[] = [];
    await settingsCommand(['get', '--data-dir', dataDir], { out: (l) => lines.push(l), err: () => {}, stdin: new PassThrough(), stdoutIsTTY: false, env: {} });
    expect(lines).toEqual(expect.arrayContaining(['saveRecordings = true', 'retention = "18-months"', 'wakeWords = ["hey_jarvis"]']));
    expect(lines.at(-1)).toMatch(/^# first-run setup: done at \d{4}-/);
  });

  it('rejects choices outside the three it makes', () => {
    expect(() => requestSchema.parse({ op: 'complete-setup', choices: { saveRecordings: false, retention: '3-months', wakeWords: ['alexa'], followUp: true } })).toThrow();
  });

  it('a corrupt marker is FIRST_RUN_CORRUPT; the screen then shows the flow again', async () => {
    const dataDir = tempDir();
    writeFileSync(firstRunPath(dataDir), '{"completedAt":');
    expect(() => readFirstRun(dataDir)).toThrow(expect.objectContaining({ code: 'FIRST_RUN_CORRUPT' }));
    const { ask } = context({ dataDir });
    expect(setupInfoSchema.parse(await ask({ op: 'get-setup' })).done).toBe(false);
  });

  it('offers custom wake words from <dataDir>/wake-words and the configured .onnx paths', async () => {
    const dataDir = tempDir();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dataDir, 'wake-words'));
    writeFileSync(join(dataDir, 'wake-words', 'hey_tally.onnx'), '');
    const { ask, device } = context({ dataDir });
    device.settings = { ...device.settings, wakeWords: ['/models/ok_house.onnx'] };
    const info = setupInfoSchema.parse(await ask({ op: 'get-setup' }));
    expect(info.wakeWords.custom).toEqual(['/models/ok_house.onnx', join(dataDir, 'wake-words', 'hey_tally.onnx')]);
  });

  it('with the ESPHome satellite: its port and the key it loaded, as base64; null key when plaintext', async () => {
    const dataDir = tempDir();
    const { key } = loadOrCreateKey(dataDir);
    const encrypted = connectionFor('esphome', 6053, { hosts: ['10.0.0.2'], esphomeKey: esphomeKeyText(dataDir) });
    expect(encrypted).toEqual({ voice: 'esphome', hosts: ['10.0.0.2'], wyoming: null, esphome: { port: 6053, encryptionKey: encodeKey(key) } });
    expect(Buffer.from(encrypted.esphome!.encryptionKey!, 'base64')).toHaveLength(32);
    expect(connectionFor('esphome', 6053, { hosts: [], esphomeKey: null }).esphome).toEqual({ port: 6053, encryptionKey: null });
    expect(esphomeKeyText(tempDir())).toBeNull();
    const port = setupPortFor({ dataDir, connection: () => encrypted, configuredWakeWords: () => ['alexa'] });
    const { ask, ctx } = context();
    ctx.setup = port;
    expect(setupInfoSchema.parse(await ask({ op: 'get-setup' })).connection.esphome?.encryptionKey).toBe(encodeKey(key));
  });

  it('without a data dir there is no first run: SETUP_UNAVAILABLE', async () => {
    const { ask } = context();
    await expect(ask({ op: 'get-setup' })).rejects.toMatchObject({ code: 'SETUP_UNAVAILABLE' });
  });
});

describe('Not meant for me', () => {
  it('deletes that request from the store and tells every screen', async () => {
    const store = HistoryStore.open({ dataDir: tempDir() });
    stores.push(store);
    const id = await store.addRecording({ audio: new Int16Array(1600), trigger: 'wake', preRollMs: 500, deviceId: 'tally', startedAt: T0, endedAt: T0 + 500, falseWake: true });
    const { ask, changes } = context({ store });
    await ask({ op: 'not-meant-for-me', id: String(id) });
    expect(store.countRecordings()).toBe(0);
    expect(changes()).toBe(1);
  });
});
