import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDisplayBridge, type DisplayBridge } from '../../src/display/bridge.ts';
import { asDevice, FakeDevice, MemoryHistory } from './fakes.ts';
import { originOf, TestScreen, wsUrlOf } from './ws-client.ts';

const dist = mkdtempSync(join(tmpdir(), 'tally-ui-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');

let device: FakeDevice;
let history: MemoryHistory;
let bridge: DisplayBridge;
beforeEach(async () => {
  device = new FakeDevice();
  history = new MemoryHistory();
  // One road for settings: the store applies a saved change to the device (attach-history does it in the product).
  history.settingsListeners.push((patch) => device.updateSettings(patch as never));
  bridge = await startDisplayBridge({ device: asDevice(device), history, distDir: dist });
});
afterEach(async () => {
  await bridge.close();
});

async function connect(): Promise<TestScreen> {
  const s = await TestScreen.open(wsUrlOf(bridge.url), originOf(bridge.url));
  await s.next('hello');
  return s;
}

const states = new WeakMap<Promise<unknown>, string>();
let nextSync = 1000;
/**
 * A promise's state once the bridge has handled everything `screen` sent before: a
 * request's result comes back on the same socket after the messages sent ahead of it, and
 * the bridge runs in this process, so by then any resolution it caused has settled too.
 * (No wall-clock wait decides the outcome.)
 */
async function stateOf(p: Promise<unknown>, screen: TestScreen): Promise<string> {
  if (!states.has(p)) {
    states.set(p, 'pending');
    p.then(() => states.set(p, 'resolved'), () => states.set(p, 'rejected'));
  }
  await ask(screen, nextSync++, { op: 'get-settings' });
  await new Promise((r) => setImmediate(r));
  return states.get(p)!;
}

async function ask(screen: TestScreen, id: number, request: unknown) {
  screen.send({ type: 'request', id, request });
  return screen.next('result', (m) => m.id === id);
}

describe('screen as an indicator (invariant 1)', () => {
  it('is attached only while a screen is connected', async () => {
    expect(device.sinks.size).toBe(0);
    const screen = await connect();
    expect(device.sinks.size).toBe(1);
    const closed = screen.closed();
    screen.close();
    await closed;
    await vi.waitFor(() => expect(device.sinks.size).toBe(0)); // the server sees the close a moment after the client

  });

  it('render waits for the ack of that version, not an older one', async () => {
    const screen = await connect();
    const { view, rendered } = device.setView({ state: 'listening' });
    const got = await screen.next('view', (m) => m.view.version === view.version);
    expect(got.view.state).toBe('listening');
    expect(await stateOf(rendered[0]!, screen)).toBe('pending');
    screen.send({ type: 'ack', version: view.version - 1 });
    expect(await stateOf(rendered[0]!, screen)).toBe('pending');
    screen.send({ type: 'ack', version: view.version });
    expect(await stateOf(rendered[0]!, screen)).toBe('resolved');
    screen.close();
  });

  it('sends each version to a screen once, even though change and render both fire', async () => {
    const screen = await connect();
    const { view } = device.setView({ state: 'listening' });
    screen.send({ type: 'ack', version: view.version });
    device.setView({ state: 'thinking' });
    await screen.next('view', (m) => m.view.state === 'thinking');
    expect(screen.messages.filter((m) => m.type === 'view' && m.view.version === view.version)).toHaveLength(1);
    screen.close();
  });

  it('waits for every connected screen', async () => {
    const a = await connect();
    const b = await connect();
    const { view, rendered } = device.setView({ state: 'listening' });
    a.send({ type: 'ack', version: view.version });
    expect(await stateOf(rendered[0]!, a)).toBe('pending');
    b.send({ type: 'ack', version: view.version });
    expect(await stateOf(rendered[0]!, b)).toBe('resolved');
    a.close();
    b.close();
  });

  it('fails closed (and does not crash) on a view the display protocol rejects', async () => {
    const screen = await connect();
    const { rendered } = device.setView({ state: 'bogus' as never });
    await expect(rendered[0]!).rejects.toMatchObject({ code: 'SCREEN_VIEW_INVALID' });
    // The bridge still works for the next, valid view.
    const next = device.setView({ state: 'listening' });
    await screen.next('view', (m) => m.view.version === next.view.version);
    screen.close();
  });

  it('fails closed when the screen disconnects before acknowledging', async () => {
    const screen = await connect();
    const { rendered } = device.setView({ state: 'listening' });
    await screen.next('view');
    screen.close();
    await expect(rendered[0]!).rejects.toMatchObject({ code: 'SCREEN_DISCONNECTED' });
  });
});

describe('screen requests', () => {
  it('forwards transcripts and replies as text fields', async () => {
    const screen = await connect();
    device.emitTranscript(3, '<img src=x onerror=alert(1)>');
    const t = await screen.next('transcript');
    expect(t).toEqual({ type: 'transcript', streamId: 3, text: '<img src=x onerror=alert(1)>' });
    screen.close();
  });

  it('presses the action button and the mute (no sim board: straight to the device)', async () => {
    const screen = await connect();
    expect((await ask(screen, 1, { op: 'press', button: 'action' })).ok).toBe(true);
    expect((await ask(screen, 2, { op: 'press', button: 'mute' })).ok).toBe(true);
    expect(device.sent).toEqual([{ type: 'button-press' }, { type: 'mute-toggle' }]);
    screen.close();
  });

  it('lists and deletes recordings, one, range, device and all, and tells every screen', async () => {
    history.add({ startedAt: 100 });
    history.add({ startedAt: 200 });
    history.add({ startedAt: 300, deviceId: 'kitchen' });
    history.add({ startedAt: 400 });
    const screen = await connect();
    const list = await ask(screen, 1, { op: 'list-recordings', limit: 10 });
    expect((list.data as { id: string }[]).map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
    await ask(screen, 2, { op: 'delete-recording', id: 'r1' });
    await screen.next('history-changed');
    await ask(screen, 3, { op: 'delete-range', from: 150, to: 250 });
    expect(history.recordings.map((r) => r.id)).toEqual(['r3', 'r4']);
    await ask(screen, 4, { op: 'delete-device', deviceId: 'kitchen' });
    expect(history.recordings.map((r) => r.id)).toEqual(['r4']);
    await ask(screen, 5, { op: 'delete-all', confirm: true });
    expect(history.recordings).toEqual([]);
    screen.close();
  });

  it('rejects a backwards range and invalid settings with codes', async () => {
    const screen = await connect();
    expect(await ask(screen, 1, { op: 'delete-range', from: 500, to: 100 })).toMatchObject({ ok: false, code: 'INVALID_RANGE' });
    expect(await ask(screen, 2, { op: 'set-settings', patch: { preRollMs: 99999 } })).toMatchObject({ ok: false, code: 'SETTINGS_INVALID' });
    expect(await ask(screen, 3, { op: 'set-settings', patch: { noSuchSetting: true } })).toMatchObject({ ok: false, code: 'SETTINGS_INVALID' });
    expect(device.settings.preRollMs).toBe(500);
    const ok = await ask(screen, 4, { op: 'set-settings', patch: { followUp: true } });
    expect(ok.ok).toBe(true);
    expect(device.settings.followUp).toBe(true);
    expect(history.settings.followUp).toBe(true);
    screen.close();
  });

  it('looks a scan up in the local catalog and keeps it in history, deletable', async () => {
    const screen = await connect();
    const res = await ask(screen, 1, { op: 'scan', code: '3017620422003', format: 'ean_13', source: 'usb', image: null });
    expect(res.ok).toBe(true);
    expect((res.data as { results: { name: string }[] }).results[0]!.name).toBe('Nutella');
    expect(history.scans).toHaveLength(1);
    await ask(screen, 2, { op: 'delete-scan', id: history.scans[0]!.id });
    expect(history.scans).toHaveLength(0);
    screen.close();
  });

  it('serves recording audio as WAV only with the token header', async () => {
    const rec = history.add({ startedAt: 1 });
    const u = new URL(bridge.url);
    const path = `http://${u.host}/api/recordings/${rec.id}/audio`;
    expect((await fetch(path)).status).toBe(401);
    expect((await fetch(`${path}?token=${u.searchParams.get('token')}`)).status).toBe(401);
    const ok = await fetch(path, { headers: { 'x-tally-token': u.searchParams.get('token')! } });
    expect(ok.status).toBe(200);
    const body = Buffer.from(await ok.arrayBuffer());
    expect(body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(body.length).toBe(44 + 1600 * 2);
    history.deleteRecording(rec.id);
    expect((await fetch(path, { headers: { 'x-tally-token': u.searchParams.get('token')! } })).status).toBe(404);
  });
});
