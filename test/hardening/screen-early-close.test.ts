import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDisplayBridge, type DisplayBridge } from '../../src/display/bridge.ts';
import { createSimHarness, flush, type SimHarness } from '../support/sim-device.ts';
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

/** Collects unhandled rejections while `fn` runs (the device process would die on one). */
async function unhandledDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    await fn();
    // Unhandled rejections are reported after the microtask queue drains.
    await new Promise((r) => setTimeout(r, 20));
    await flush(5);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return seen;
}

describe('a screen that disconnects before its first acknowledgement', () => {
  it('does not crash the device, three times in a row, and the device still streams afterwards', async () => {
    h = await createSimHarness({ autoRespond: true });
    bridge = await startDisplayBridge({ device: h.device, distDir: dist });
    const url = bridge.url;
    const seen = await unhandledDuring(async () => {
      for (let i = 0; i < 3; i++) {
        const screen = await TestScreen.open(wsUrlOf(url), originOf(url));
        await screen.next('hello');
        screen.close(); // never acknowledges the view it was sent
        await screen.closed();
        await flush(3);
      }
    });
    expect(seen.map((e) => (e as { code?: string }).code ?? String(e))).toEqual([]);
    // No screen attached any more: the ring alone is the indicator and a request still works.
    h.sim.actionButton!.press();
    await h.speak(300);
    expect(h.voice.streams).toHaveLength(1);
    expect(h.voice.streams[0]!.samples).toBeGreaterThan(0);
  });
});
