import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import type { LightRing, RingFrame } from '../../hal/light-ring.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { OFFLINE_CRAWL_STEP_MS, OFFLINE_FAST_SPIN_MS, RingIndicator } from '../../src/core/feedback/ring-indicator.ts';
import { COLORS, ringFrame } from '../../src/core/feedback/ring-patterns.ts';

// What the ring shows when a state lasts longer than the offline fast spin (10 s): only the
// offline spin slows to a crawl; a long "thinking" keeps its 4 frames a second; and the slow
// crawl carries on the same clockwise spin, one pixel a step, from where the fast spin was.

const base: AttentionView = {
  version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null,
  scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });
const key = (f: RingFrame) => f.map((p) => p.join(',')).join(' ');

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

async function run(clock: ManualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(10);
    await Promise.resolve();
  }
}

/** The offline spin's head: the one pixel at full orange. */
const head = (f: RingFrame) => {
  const lit = f.flatMap((p, i) => (p.join() === COLORS.orange.join() ? [i] : []));
  expect(lit).toHaveLength(1);
  return lit[0]!;
};

describe('ring indicator: states that last longer than the offline fast spin', () => {
  it('a thinking ring held for 25 s still alternates 4 times a second (only offline slows down)', async () => {
    const clock = new ManualClock(0);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, (e) => expect.fail(String(e)));
    const view = v({ state: 'thinking' });
    await indicator.render(view);
    await run(clock, 2 * OFFLINE_FAST_SPIN_MS);
    const at = shown.length;
    await run(clock, 5000);
    const late = shown.slice(at);
    expect(late.length).toBeGreaterThanOrEqual(19); // 5 s at 4 frames a second
    expect(late.length).toBeLessThanOrEqual(21);
    // Each is the thinking pattern for its real time, drawn within one 30 fps slot of the change.
    for (const s of late) expect(key(s.frame)).toBe(key(ringFrame(view, 12, s.t)));
    for (const s of late) expect(s.t % 250).toBeLessThan(1000 / 30 + 10);
    indicator.stop();
  });

  it('a long offline spin keeps turning clockwise, one pixel a step, through the slow-down', async () => {
    const clock = new ManualClock(0);
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, () => {});
    await indicator.render(v({ state: 'offline', online: false }));
    await run(clock, OFFLINE_FAST_SPIN_MS + 12 * OFFLINE_CRAWL_STEP_MS);
    indicator.stop();
    const crawl = shown.filter((s) => s.t > OFFLINE_FAST_SPIN_MS);
    expect(crawl.length).toBeGreaterThanOrEqual(11);
    // Every frame, fast or crawling, moves the head exactly one pixel on (clockwise, wrapping).
    for (let i = 1; i < shown.length; i++) expect(head(shown[i]!.frame)).toBe((head(shown[i - 1]!.frame) + 1) % 12);
    // And the crawl steps about every 3 s.
    for (let i = 1; i < crawl.length; i++) {
      expect(crawl[i]!.t - crawl[i - 1]!.t).toBeGreaterThan(OFFLINE_CRAWL_STEP_MS - 100);
      expect(crawl[i]!.t - crawl[i - 1]!.t).toBeLessThan(OFFLINE_CRAWL_STEP_MS + 100);
    }
  });
});
