import { describe, expect, it } from 'vitest';
import { attachPrivacyVoiceCommands } from '../../src/history/privacy-voice-commands.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';

type Harness = Awaited<ReturnType<typeof createSimHarness>>;
/** The simulated service saying a transcript (emit is protected on the emitter). */
function say(h: Harness, id: number, text: string): void {
  (h.voice as unknown as { emit(e: string, ...a: unknown[]): void }).emit('transcript', id, text);
}

function fakeHistory(fail = false) {
  const calls: string[] = [];
  const op = (name: string) => () => {
    calls.push(name);
    return fail ? Promise.reject(Object.assign(new Error('x'), { code: 'HISTORY_BUSY' })) : Promise.resolve({ recordings: calls.length });
  };
  return { calls, history: { deleteLast: op('last'), deleteToday: op('today'), deleteAll: op('all') } };
}

describe('privacy voice commands on the device', () => {
  it('runs the matching deletion and confirms with the chime', async () => {
    const h = await createSimHarness();
    const { calls, history } = fakeHistory();
    const done: string[] = [];
    attachPrivacyVoiceCommands(h.device, history, { onExecuted: (c, id, n) => done.push(`${c.kind}#${id}:${n}`) });
    say(h, 1, 'delete what I just said');
    say(h, 2, 'turn on the light');
    say(h, 3, 'Delete everything I said today.');
    h.sim.actionButton!.press(); // the dangerous ones need the owner's hand (issue 14)
    await flush();
    say(h, 4, 'delete everything I said');
    h.sim.actionButton!.press();
    await flush();
    expect(calls).toEqual(['last', 'today', 'all']);
    expect(done).toEqual(['last#1:1', 'today#3:2', 'all#4:3']);
    expect(h.sim.tones!.playing).toBe(true);
    await h.device.stop();
  });

  it("does not play the voice service's own reply to a privacy command", async () => {
    const h = await createSimHarness();
    attachPrivacyVoiceCommands(h.device, fakeHistory().history);
    const pcmPlayed: number[] = [];
    h.sim.tones!.on('start', (s) => typeof s !== 'string' && pcmPlayed.push(s.samples.length));
    const reply = { sampleRate: 16000, channels: 1 as const, samples: new Int16Array(1600) };
    say(h, 1, 'delete what I just said');
    h.voice.simulate('response-audio', 1, reply);
    say(h, 2, 'what time is it');
    h.voice.simulate('response-audio', 2, reply);
    h.clock.advance(3000);
    await flush();
    expect(pcmPlayed).toEqual([1600]);
    expect(h.voice.playedStreams).toEqual(expect.arrayContaining([1, 2]));
    await h.device.stop();
  });

  it('does nothing when deletion by voice is off; reports a failed deletion with its code', async () => {
    const h = await createSimHarness({ settings: { deletionByVoice: false } });
    const off = fakeHistory();
    attachPrivacyVoiceCommands(h.device, off.history);
    say(h, 1, 'delete everything I said');
    await flush();
    expect(off.calls).toEqual([]);
    h.device.updateSettings({ deletionByVoice: true });
    const failing = fakeHistory(true);
    const failed: string[] = [];
    attachPrivacyVoiceCommands(h.device, failing.history, { onFailed: (_c, code) => failed.push(code) });
    say(h, 2, 'delete what I just said');
    await flush();
    expect(failed).toEqual(['HISTORY_BUSY']);
    await h.device.stop();
  });
});
