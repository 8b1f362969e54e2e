import { afterEach, describe, expect, it } from 'vitest';
import { attachHistory } from '../../src/history/attach-history.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { createSimHarness } from '../support/sim-device.ts';
import { tempDir } from '../history/helpers.ts';

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A data dir whose settings table holds `rows` exactly as written (bypassing validation). */
async function storeWithRawSettings(rows: Record<string, string>) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const h = await createSimHarness({ autoRespond: true });
  cleanups.push(() => h.device.stop());
  const store = HistoryStore.open({ dataDir: t.dir, clock: h.clock });
  cleanups.push(() => store.close());
  const put = store.database.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  for (const [k, v] of Object.entries(rows)) put.run(k, v);
  return { h, store };
}

async function oneRequest(h: Awaited<ReturnType<typeof createSimHarness>>): Promise<void> {
  await h.speak(600);
  h.wake.trigger();
  await h.speak(2200);
  await h.speak(2500);
}

describe('stored settings that cannot be read fail private, with a code', () => {
  it('"dontSave" stored as the string "true": don\'t save stays on, a coded problem is reported, no recording is saved', async () => {
    const { h, store } = await storeWithRawSettings({ dontSave: '"true"', saveRecordings: 'true' });
    const problems: string[] = [];
    attachHistory(h.device, store, { onProblem: (code, message) => problems.push(`${code} ${message}`) });
    expect(h.device.settings.dontSave).toBe(true);
    expect(problems.join('\n')).toMatch(/SETTINGS_STORED_INVALID .*dontSave/);
    await oneRequest(h);
    await store.whenIdle();
    expect(h.voice.streams.length).toBeGreaterThan(0);
    expect(store.listRecordings({}).length).toBe(0);
  });

  it('invalid JSON in a stored value does not stop the device from starting', async () => {
    const { h, store } = await storeWithRawSettings({ saveRecordings: '{not json', volume: 'loud' });
    const problems: string[] = [];
    expect(() => attachHistory(h.device, store, { onProblem: (code) => problems.push(code) })).not.toThrow();
    expect(problems).toEqual(['SETTINGS_STORED_INVALID', 'SETTINGS_STORED_INVALID']);
    expect(h.device.settings.saveRecordings).toBe(false); // the private fallback, not the default
    expect(store.getSettings().saveRecordings).toBe(false);
  });
});
