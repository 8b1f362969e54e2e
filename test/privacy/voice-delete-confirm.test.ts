import { describe, expect, it } from 'vitest';
import { attachPrivacyVoiceCommands, CONFIRM_TIMEOUT_MS } from '../../src/history/privacy-voice-commands.ts';
import { ringFrame, COLORS } from '../../src/core/feedback/ring-patterns.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';

function say(h: Awaited<ReturnType<typeof createSimHarness>>, id: number, text: string): void {
  (h.voice as unknown as { emit(e: string, ...a: unknown[]): void }).emit('transcript', id, text);
}

function history() {
  const calls: string[] = [];
  const op = (name: string) => () => (calls.push(name), Promise.resolve({ recordings: 1 }));
  return { calls, h: { deleteLast: op('last'), deleteToday: op('today'), deleteAll: op('all') } };
}

describe('dangerous voice commands need the owner\'s hand', () => {
  it('"delete everything I said" waits for the action button; ring and view show the request', async () => {
    const h = await createSimHarness();
    const { calls, h: hist } = history();
    attachPrivacyVoiceCommands(h.device, hist);
    say(h, 1, 'delete everything I said');
    await flush();
    expect(calls).toEqual([]);
    expect(h.device.view.confirm).toMatchObject({ what: 'all', endsAt: h.clock.now() + CONFIRM_TIMEOUT_MS });
    expect(ringFrame(h.device.view, 12, h.clock.now()).every((p) => p.join() === COLORS.yellow.join())).toBe(true);
    h.clock.advance(4000);
    h.sim.actionButton!.press();
    await flush();
    expect(calls).toEqual(['all']);
    expect(h.device.view.confirm).toBeNull();
    expect(h.voice.streams).toEqual([]); // the press confirmed; it did not open a stream
    await h.device.stop();
  });

  it('nobody at the device: nothing is deleted, the error tone plays after 10 s', async () => {
    const h = await createSimHarness();
    const { calls, h: hist } = history();
    const failed: string[] = [];
    attachPrivacyVoiceCommands(h.device, hist, { onFailed: (_c, code) => failed.push(code) });
    const tones: unknown[] = [];
    h.sim.tones!.on('start', (t) => tones.push(t));
    say(h, 1, 'delete everything I said today');
    h.clock.advance(CONFIRM_TIMEOUT_MS + 1);
    await flush();
    expect(calls).toEqual([]);
    expect(failed).toEqual(['PRIVACY_CONFIRM_TIMEOUT']);
    expect(tones).toContain('error');
    expect(h.device.view.confirm).toBeNull();
    await h.device.stop();
  });

  it('"delete what I just said" stays one step', async () => {
    const h = await createSimHarness();
    const { calls, h: hist } = history();
    attachPrivacyVoiceCommands(h.device, hist);
    say(h, 1, 'delete what I just said');
    await flush();
    expect(calls).toEqual(['last']);
    await h.device.stop();
  });
});

describe('a corrupt mute state file starts muted and says why', () => {
  it('ring, view and terminal carry MUTE_STATE_CORRUPT until the owner decides', async () => {
    const store = { load: () => ({ muted: true, problem: Object.assign(new Error('corrupt'), { code: 'MUTE_STATE_CORRUPT' }) as never }), save: () => {} };
    const h = await createSimHarness({ muteStore: store });
    expect(h.device.view).toMatchObject({ muted: true, notice: { code: 'MUTE_STATE_CORRUPT' } });
    const frame = ringFrame(h.device.view, 12, 0);
    expect(frame.some((p) => p.join() === COLORS.orange.join())).toBe(true);
    expect(h.sim.ring!.current.some((p) => p.join() === COLORS.orange.join())).toBe(true);
    h.sim.muteButton!.press();
    await flush();
    expect(h.device.view).toMatchObject({ muted: false, notice: null });
    await h.device.stop();
  });
});
