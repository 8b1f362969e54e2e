import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleRequest, type RequestContext } from '../../src/display/request-handler.ts';
import { historyForDisplay } from '../../src/display/history-adapter.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { parseSettingValue } from '../../src/history/cli-args.ts';
import { SETTING_KEYS, type SettingKey, type Settings } from '../../src/core/settings/schema.ts';
import { FakeDevice } from '../ui/fakes.ts';
import { tempDirs } from '../history/helpers.ts';

/**
 * A settings change changes exactly the keys it names. Random patches arrive from the
 * screen (set-settings through the request handler), the CLI (`tally settings set`'s
 * parser into the store) and the device's own updateSettings (the voice service / config
 * road); after each, every key the patch did not name keeps its value.
 */
const newDir = tempDirs();

/** A valid value for each setting, as text (the CLI form) and as JSON (the screen form). */
const VALUES: { [K in SettingKey]?: fc.Arbitrary<Settings[K]> } = {
  preRollMs: fc.constantFrom(0, 250, 500, 1000),
  maxStreamMs: fc.constantFrom(2000, 10_000),
  startTone: fc.boolean(),
  endTone: fc.boolean(),
  followUp: fc.boolean(),
  saveRecordings: fc.boolean(),
  dontSave: fc.boolean(),
  retention: fc.constantFrom('keep', '3-months', '18-months'),
  deletionByVoice: fc.boolean(),
  nightMode: fc.boolean(),
  volume: fc.constantFrom(0, 0.25, 0.5, 1),
  sensitivity: fc.constantFrom('low', 'default', 'high'),
};
const keys = Object.keys(VALUES) as SettingKey[];
const patchArb = fc.dictionary(fc.constantFrom(...keys), fc.constant(null), { minKeys: 1, maxKeys: 3 }).chain((d) =>
  fc.record(Object.fromEntries(Object.keys(d).map((k) => [k, VALUES[k as SettingKey]!])) as Record<string, fc.Arbitrary<unknown>>),
);
const sourceArb = fc.constantFrom('screen', 'screen-no-history', 'cli', 'device');

function unnamedChanged(before: Settings, after: Settings, patch: Record<string, unknown>): string[] {
  return SETTING_KEYS.filter((k) => !(k in patch) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

describe('a settings change changes exactly the keys it names', () => {
  it('from the screen, the CLI and the device, over random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(sourceArb, patchArb), { minLength: 1, maxLength: 6 }), async (steps) => {
        const store = HistoryStore.open({ dataDir: newDir() });
        const device = new FakeDevice();
        const ctx = (history: boolean): RequestContext => ({
          device: device as never,
          ...(history ? { history: historyForDisplay(store) } : {}),
          catalog: { name: 'none', lookup: async () => [] },
          historyChanged: () => {},
        });
        try {
          for (const [source, patch] of steps) {
            const read = () => (source === 'screen-no-history' || source === 'device' ? { ...device.settings } : store.getSettings());
            const before = read();
            if (source === 'screen') await handleRequest(ctx(true), { op: 'set-settings', patch });
            else if (source === 'screen-no-history') await handleRequest(ctx(false), { op: 'set-settings', patch });
            else if (source === 'cli') for (const [k, v] of Object.entries(patch)) await store.setSettings(parseSettingValue(k, String(v)));
            else device.updateSettings(patch as Partial<Settings>);
            const after = read();
            expect(unnamedChanged(before, after, patch), `${source} patch ${JSON.stringify(patch)}`).toEqual([]);
            for (const [k, v] of Object.entries(patch)) expect(after[k as SettingKey]).toEqual(v);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a screen toggle of one tone leaves "don\'t save" and retention as the owner set them', async () => {
    const store = HistoryStore.open({ dataDir: newDir() });
    await store.setSettings({ dontSave: true, retention: '18-months' });
    const ctx: RequestContext = { device: new FakeDevice() as never, history: historyForDisplay(store), catalog: { name: 'none', lookup: async () => [] }, historyChanged: () => {} };
    await handleRequest(ctx, { op: 'set-settings', patch: { startTone: false } });
    expect(store.getSettings()).toMatchObject({ dontSave: true, retention: '18-months', startTone: false });
    await store.close();
  });
});
