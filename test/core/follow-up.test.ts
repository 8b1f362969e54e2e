import { describe, expect, it } from 'vitest';
import { endsConversation } from '../../src/core/intents/conversation-enders.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';

describe('follow-up mode', () => {
  it('whole-utterance enders only', () => {
    for (const t of ['Stop.', 'cancel', 'Thank you!', 'thanks', 'Never mind', "That's all"]) expect(endsConversation(t), t).toBe(true);
    for (const t of ['stop the timer', 'cancel my alarm', 'thank you for the music', 'what time is it']) expect(endsConversation(t), t).toBe(false);
  });

  it('after a reply, listens again with a countdown; "thank you" ends it and its reply is not played', async () => {
    const h = await createSimHarness({ settings: { followUp: true, followUpWindowMs: 5000 } });
    await h.speak(600);
    h.wake.trigger();
    await h.speak(400);
    h.voice.simulate('processing', 1);
    h.voice.simulate('response-start', 1);
    h.voice.simulate('response-end', 1);
    await flush();
    expect(h.device.view).toMatchObject({ state: 'follow-up', stream: { id: 2, trigger: 'follow-up' } });
    await h.speak(400);
    expect(h.voice.streams[1]!.info.trigger).toBe('follow-up');
    h.voice.simulate('transcript', 2, 'Thank you.');
    expect(h.device.view).toMatchObject({ state: 'idle', stream: null });
    const played: unknown[] = [];
    h.sim.tones!.on('start', (s) => played.push(s));
    h.voice.simulate('response-start', 2);
    h.voice.simulate('response-audio', 2, { sampleRate: 16000, channels: 1, samples: new Int16Array(1600) });
    h.voice.simulate('response-end', 2);
    h.clock.advance(2000);
    await flush();
    expect(h.device.view.state).toBe('idle');
    expect(played.filter((s) => typeof s !== 'string')).toEqual([]);
    expect(h.voice.playedStreams).toContain(2);
    await h.device.stop();
  });

  it('an ordinary follow-up request is answered and played', async () => {
    const h = await createSimHarness({ settings: { followUp: true } });
    h.sim.actionButton!.press();
    await h.speak(400);
    h.voice.simulate('processing', 1);
    h.voice.simulate('response-start', 1);
    h.voice.simulate('response-end', 1);
    await h.speak(400);
    h.voice.simulate('transcript', 2, 'and tomorrow?');
    h.voice.simulate('processing', 2);
    h.voice.simulate('response-start', 2);
    expect(h.device.view.state).toBe('speaking');
    const played: unknown[] = [];
    h.sim.tones!.on('start', (s) => played.push(s));
    h.voice.simulate('response-audio', 2, { sampleRate: 16000, channels: 1, samples: new Int16Array(1600) });
    h.clock.advance(2000);
    await flush();
    expect(played.filter((s) => typeof s !== 'string')).toHaveLength(1);
    await h.device.stop();
  });
});
