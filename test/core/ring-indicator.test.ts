import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import type { LightRing, RingFrame } from '../../hal/light-ring.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { OFFLINE_CRAWL_STEP_MS, OFFLINE_FAST_SPIN_MS, RingIndicator } from '../../src/core/feedback/ring-indicator.ts';
import { ringFrame } from '../../src/core/feedback/ring-patterns.ts';

const base: AttentionView = {
  version: 0, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null,
  scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });

/** A ring that latches at once and records every frame with its clock time. */
function recordingRing(clock: ManualClock, pixelCount = 12) {
  const shown: { t: number; frame: RingFrame }[] = [];
  const ring = {
    pixelCount,
    show: async (frame: RingFrame) => void shown.push({ t: clock.now(), frame }),
    setBrightness: async () => {},
  } as unknown as LightRing;
  return { ring, shown };
}

const key = (f: RingFrame) => f.map((p) => p.join(',')).join(' ');

async function run(clock: ManualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(10);
    await Promise.resolve();
  }
}

describe('ring indicator: frames only on change', () => {
  it('thinking alternates every 250 ms: 4 frames a second, never the same frame twice in a row', async () => {
    const clock = new ManualClock(0);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, (e) => expect.fail(String(e)));
    await indicator.render(v({ state: 'thinking' }));
    await run(clock, 2000);
    expect(shown.length).toBeGreaterThanOrEqual(8);
    expect(shown.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < shown.length; i++) expect(key(shown[i]!.frame)).not.toBe(key(shown[i - 1]!.frame));
    // Each frame is the pattern's frame for its time, drawn within one 30 fps slot of the change.
    for (const s of shown) expect(key(s.frame)).toBe(key(ringFrame(v({ state: 'thinking' }), 12, s.t)));
    for (const s of shown.slice(1)) expect(s.t % 250).toBeLessThan(1000 / 30 + 10);
    indicator.stop();
  });

  it('a static state draws one frame and then nothing', async () => {
    const clock = new ManualClock(0);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, () => {});
    await indicator.render(v({ state: 'muted', muted: true }));
    await run(clock, 3000);
    expect(shown).toHaveLength(1);
  });

  it('offline spins at full speed, then settles to a slow crawl', async () => {
    const clock = new ManualClock(0);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, () => {});
    await indicator.render(v({ state: 'offline', online: false }));
    await run(clock, OFFLINE_FAST_SPIN_MS);
    const fast = shown.length;
    expect(fast).toBeGreaterThan((OFFLINE_FAST_SPIN_MS / 80) * 0.9); // the head moves every 80 ms
    expect(fast).toBeLessThanOrEqual(OFFLINE_FAST_SPIN_MS / 80 + 1); // not 30 fps
    await run(clock, 30_000);
    const crawl = shown.length - fast;
    expect(crawl).toBeGreaterThanOrEqual(30_000 / OFFLINE_CRAWL_STEP_MS - 1);
    expect(crawl).toBeLessThanOrEqual(30_000 / OFFLINE_CRAWL_STEP_MS + 1);
    for (let i = 1; i < shown.length; i++) expect(key(shown[i]!.frame)).not.toBe(key(shown[i - 1]!.frame));
    indicator.stop();
  });

  it('a new state cancels the old loop: no frame of the old pattern after the render', async () => {
    const clock = new ManualClock(0);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, () => {});
    await indicator.render(v({ state: 'speaking' }));
    await run(clock, 500);
    await indicator.render(v({ state: 'idle' }));
    const at = shown.length;
    await run(clock, 1000);
    expect(shown).toHaveLength(at);
    expect(shown.at(-1)!.frame.every((p) => p.join() === '0,0,0')).toBe(true);
  });
});
