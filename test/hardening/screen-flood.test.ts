import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDisplayBridge, type DisplayBridge } from '../../src/display/bridge.ts';
import { LIMIT_CLOSE_CODES, SCREEN_LIMITS } from '../../src/display/screen-limits.ts';
import { createSimHarness, type SimHarness } from '../support/sim-device.ts';
import { MemoryHistory } from '../ui/fakes.ts';
import { originOf, TestScreen, wsUrlOf } from '../ui/ws-client.ts';

const dist = mkdtempSync(join(tmpdir(), 'tally-ui-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');

let h: SimHarness | null = null;
let bridge: DisplayBridge | null = null;
afterEach(async () => {
  await bridge?.close();
  await h?.device.stop();
  bridge = null;
  h = null;
});

async function setup() {
  h = await createSimHarness({ autoRespond: true });
  bridge = await startDisplayBridge({ device: h.device, history: new MemoryHistory(), distDir: dist });
  return { h, url: bridge.url };
}

describe('screens cannot starve the mute', () => {
  it('a screen flooding 10,000 requests is closed; the mute button is handled before its backlog', async () => {
    const { h, url } = await setup();
    const flooder = await TestScreen.open(wsUrlOf(url), originOf(url));
    await flooder.next('hello');
    const closed = flooder.closed();
    for (let i = 1; i <= 10_000; i++) flooder.send({ type: 'request', id: i, request: { op: 'get-settings' } });
    h.sim.muteButton!.press();
    const answeredBeforeMute = () => flooder.messages.filter((m) => m.type === 'result').length;
    // Checked on every event-loop turn: how many answers the flooder had when the relay moved.
    const atMute = await new Promise<number>((resolve) => {
      const tick = () => (h.sim.relay!.commanded === 'open' ? resolve(answeredBeforeMute()) : setImmediate(tick));
      tick();
    });
    expect(await closed).toBe(LIMIT_CLOSE_CODES.flooding);
    await h.speak(100);
    expect(h.sim.relay!.commanded).toBe('open');
    expect(h.device.view.muted).toBe(true);
    // The relay moved before the flooder got more than its queue's worth of answers.
    expect(atMute).toBeLessThanOrEqual(SCREEN_LIMITS.maxPending);
    expect(answeredBeforeMute()).toBeLessThanOrEqual(SCREEN_LIMITS.maxPending);
  });

  it('a well-behaved screen keeps working beside a flooder, and a mute from the screen is not queued', async () => {
    const { h, url } = await setup();
    const flooder = await TestScreen.open(wsUrlOf(url), originOf(url));
    const good = await TestScreen.open(wsUrlOf(url), originOf(url));
    await Promise.all([flooder.next('hello'), good.next('hello')]);
    for (let i = 1; i <= 5000; i++) flooder.send({ type: 'request', id: i, request: { op: 'get-settings' } });
    good.send({ type: 'request', id: 1, request: { op: 'get-settings' } });
    expect((await good.next('result', (m) => m.id === 1)).ok).toBe(true);
    good.send({ type: 'request', id: 2, request: { op: 'press', button: 'mute' } });
    await good.next('result', (m) => m.id === 2);
    await h.speak(100);
    expect(h.device.view.muted).toBe(true);
  });

  it(`refuses a screen beyond ${SCREEN_LIMITS.maxScreens}`, async () => {
    const { url } = await setup();
    const screens = [];
    for (let i = 0; i < SCREEN_LIMITS.maxScreens; i++) {
      const s = await TestScreen.open(wsUrlOf(url), originOf(url));
      await s.next('hello');
      screens.push(s);
    }
    const extra = await TestScreen.open(wsUrlOf(url), originOf(url));
    expect(await extra.closed()).toBe(LIMIT_CLOSE_CODES.tooManyScreens);
    expect(extra.messages.some((m) => m.type === 'hello')).toBe(false);
    screens[0]!.close();
    await screens[0]!.closed();
    await new Promise((r) => setTimeout(r, 20));
    const again = await TestScreen.open(wsUrlOf(url), originOf(url));
    expect((await again.next('hello')).type).toBe('hello');
    for (const s of [...screens.slice(1), again]) s.close();
  });
});
