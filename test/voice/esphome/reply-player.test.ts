import { describe, expect, it } from 'vitest';
import type { Pcm } from '../../../hal/tone-player.ts';
import { ManualClock } from '../../../hal/base/clock.ts';
import { ReplyPlayer, PLAYED_GRACE_MS } from '../../../src/voice/esphome/reply-player.ts';

const pcm: Pcm = { samples: new Int16Array(16_000), sampleRate: 16_000, channels: 1 };

function player() {
  const clock = new ManualClock(0);
  const finished: [number, boolean, boolean][] = [];
  const ended: number[] = [];
  const p = new ReplyPlayer(clock, async () => pcm, {
    start: () => {},
    audio: () => {},
    end: (id) => ended.push(id),
    error: () => {},
    finished: (id, ok, followUp) => finished.push([id, ok, followUp]),
  });
  return { clock, p, finished, ended };
}

describe('ESPHome reply player', () => {
  it('barge-in ends the reply at once, without continuing the conversation, and only once', async () => {
    const { clock, p, finished, ended } = player();
    await p.play(7, ['http://ha/tts.wav'], true);
    expect(p.playing).toBe(true);
    p.interrupted(7);
    expect(finished).toEqual([[7, true, false]]);
    expect(ended).toEqual([7]);
    expect(p.playing).toBe(false);
    clock.advance(1000 + PLAYED_GRACE_MS + 1); // the played fallback must not fire a second finish
    p.played(7);
    expect(finished).toHaveLength(1);
  });

  it('a reply played to its end keeps its follow-up request', async () => {
    const { p, finished } = player();
    await p.play(8, ['http://ha/tts.wav'], true);
    p.played(8);
    expect(finished).toEqual([[8, true, true]]);
  });
});
