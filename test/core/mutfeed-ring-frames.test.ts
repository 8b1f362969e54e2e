import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import type { LightRing, RingFrame } from '../../hal/light-ring.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { OFFLINE_CRAWL_STEP_MS, OFFLINE_FAST_SPIN_MS, RING_FPS, RingIndicator } from '../../src/core/feedback/ring-indicator.ts';
import { ringFrame } from '../../src/core/feedback/ring-patterns.ts';

// The ring draws only when its pattern changes, and sleeps in between: every change reaches
// the ring on its 30 fps slot, however small (one level of one colour channel), and a slow
// pattern costs few wake-ups (the CPU a Pi spends on a ring that is hardly moving).

const base: AttentionView = {
  version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null,
  scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });
const key = (f: RingFrame) => f.map((p) => p.join(',')).join(' ');

/** A manual clock that counts the timer callbacks it ran (each one a wake-up of the loop). */
class CountingClock extends ManualClock {
  wakeUps = 0;
  override setTimeout(fn: () => void, ms: number) {
    return super.setTimeout(() => {
      this.wakeUps++;
      fn();
    }, ms);
  }
}

function recordingRing(clock: ManualClock, pixelCount = 12) {
  const shown: { t: number; frame: RingFrame }[] = [];
  const ring = {
    pixelCount,
    show: async (frame: RingFrame) => void shown.push({ t: clock.now(), frame }),
    setBrightness: async () => {},
  } as unknown as LightRing;
  return { ring, shown };
}

async function run(clock: ManualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(10);
    await Promise.resolve();
  }
}

describe('ring indicator: every change drawn on its slot, and no more wake-ups than needed', () => {
  it('speaking at the top of its pulse: a step that changes only the blue channel is drawn on its slot', async () => {
    // From t = 281 ms the next 30 fps slot (314.3 ms) differs from the frame shown only in blue (254 → 255).
    const start = 281;
    const view = v({ state: 'speaking' });
    const clock = new ManualClock(start);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, (e) => expect.fail(String(e)));
    await indicator.render(view);
    await run(clock, 600);
    indicator.stop();
    // Expected: walking the 30 fps grid, a slot is drawn exactly when its frame differs from the last drawn one.
    const expected: { t: number; frame: string }[] = [];
    for (let k = 0; (k * 1000) / RING_FPS < 590; k++) {
      const t = start + (k * 1000) / RING_FPS;
      const f = key(ringFrame(view, 12, t));
      if (expected.at(-1)?.frame !== f) expected.push({ t, frame: f });
    }
    const a = ringFrame(view, 12, start);
    const b = ringFrame(view, 12, start + 1000 / RING_FPS);
    expect(a.map((p) => p.slice(0, 2))).toEqual(b.map((p) => p.slice(0, 2))); // the premise: red and green unchanged…
    expect(key(a)).not.toBe(key(b)); // …but the frame did change
    expect(shown.map((s) => s.frame).map(key)).toEqual(expected.map((e) => e.frame));
    shown.forEach((s, i) => expect(s.t).toBeCloseTo(expected[i]!.t, 6));
  });

  it('a thinking ring wakes about 4 times a second, not 30', async () => {
    const clock = new CountingClock(0);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, () => {});
    await indicator.render(v({ state: 'thinking' }));
    await run(clock, 2000);
    indicator.stop();
    expect(shown.length).toBeGreaterThanOrEqual(8);
    expect(clock.wakeUps).toBeLessThanOrEqual(9);
  });

  it('a settled offline ring wakes about once a second (its look-ahead), not 30 times', async () => {
    const clock = new CountingClock(0);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, () => {});
    await indicator.render(v({ state: 'offline', online: false }));
    await run(clock, OFFLINE_FAST_SPIN_MS);
    const wakeUps = clock.wakeUps;
    const frames = shown.length;
    await run(clock, 10 * OFFLINE_CRAWL_STEP_MS);
    indicator.stop();
    expect(shown.length - frames).toBeGreaterThanOrEqual(9); // still crawling
    expect(clock.wakeUps - wakeUps).toBeLessThanOrEqual((10 * OFFLINE_CRAWL_STEP_MS) / 1000 + 12);
  });
});
