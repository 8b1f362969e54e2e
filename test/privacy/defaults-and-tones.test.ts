import { describe, expect, it } from 'vitest';
import { defaultSettings, SETTING_KEYS } from '../../src/core/settings/schema.ts';
import { tonesFor } from '../../src/core/feedback/tones.ts';
import { baseView } from '../ui/fakes.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';

describe('private by default', () => {
  it('keeps no recordings unless the owner opts in; 3 months once saving is on', () => {
    const d = defaultSettings();
    expect(d.saveRecordings).toBe(false);
    expect(d.retention).toBe('3-months');
  });
  it('has no "help improve" setting (nothing ever read it; no code path shares recordings)', () => {
    expect(SETTING_KEYS as string[]).not.toContain('helpImprove');
  });
});

describe('the start tone plays for every stream when tones are on (Echo: any time audio is sent)', () => {
  it('a follow-up stream gets the start tone too', () => {
    const followUp = baseView({ state: 'follow-up', stream: { id: 2, trigger: 'follow-up', triggeredAt: 0 } });
    expect(tonesFor(baseView(), followUp, { startTone: true, endTone: true })).toEqual(['start']);
  });
  it('on the sim board: the follow-up window opening plays the start tone', async () => {
    const h = await createSimHarness({ settings: { followUp: true, startTone: true } });
    h.sim.actionButton!.press();
    await h.speak(200);
    h.voice.simulate('processing', 1);
    h.voice.simulate('response-start', 1);
    const played: unknown[] = [];
    h.sim.tones!.on('start', (s) => played.push(s));
    h.voice.simulate('response-end', 1);
    await flush();
    expect(h.device.view.state).toBe('follow-up');
    expect(played).toContain('start');
    await h.device.stop();
  });
});
