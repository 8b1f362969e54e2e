import { describe, expect, it } from 'vitest';
import { ManualClock, type Clock, type TimerHandle } from '../../hal/base/clock.ts';
import type { LightRing, RingFrame } from '../../hal/light-ring.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { RingIndicator } from '../../src/core/feedback/ring-indicator.ts';
import { ringFrame } from '../../src/core/feedback/ring-patterns.ts';

// Real timers fire late when the event loop is busy (a Pi handling a reply). A ring loop that
// wakes late must draw what the pattern shows *now*: if that is the frame already on the
// ring, it sends nothing and sleeps until the next change.

const base: AttentionView = {
  version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null,
  scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });
const key = (f: RingFrame) => f.map((p) => p.join(',')).join(' ');

/** A clock whose timers can fire late: `stall(ms)` moves time on first, then runs what fell due. */
class StallingClock implements Clock {
  #now = 0;
  #id = 1;
  #timers = new Map<number, { due: number; fn: () => void }>();
  now() {
    return this.#now;
  }
  wallNow() {
    return this.#now;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#id++;
    this.#timers.set(id, { due: this.#now + Math.max(0, ms), fn });
    return { id };
  }
  clearTimeout(h: TimerHandle | undefined) {
    if (h) this.#timers.delete(h.id);
  }
  #fireDue(late: boolean, target: number) {
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.due <= target).sort((a, b) => a[1].due - b[1].due)[0];
      if (!due) return;
      this.#timers.delete(due[0]);
      if (!late) this.#now = Math.max(this.#now, due[1].due);
      due[1].fn();
    }
  }
  advance(ms: number) {
    const target = this.#now + ms;
    this.#fireDue(false, target);
    this.#now = target;
  }
  stall(ms: number) {
    this.#now += ms;
    this.#fireDue(true, this.#now);
  }
}

function recordingRing(clock: Clock, pixelCount = 12) {
  const shown: { t: number; frame: RingFrame }[] = [];
  const ring = {
    pixelCount,
    show: async (frame: RingFrame) => void shown.push({ t: clock.now(), frame }),
    setBrightness: async () => {},
  } as unknown as LightRing;
  return { ring, shown };
}

async function run(clock: StallingClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(10);
    await Promise.resolve();
  }
}

describe('ring indicator: a loop that wakes late', () => {
  it('a thinking ring woken a whole phase late, back on the frame it shows, sends nothing and draws the next change', async () => {
    const clock = new StallingClock();
    const { ring, shown } = recordingRing(clock);
    const indicator = new RingIndicator(ring, clock, (e) => expect.fail(String(e)));
    const view = v({ state: 'thinking' });
    await indicator.render(view); // phase 0 at t = 0; the next change is due at 250 ms
    await run(clock, 240);
    clock.stall(260); // the wake-up due at 250 runs at 500 ms: thinking is back on phase 0
    await Promise.resolve();
    expect(shown).toHaveLength(1);
    await run(clock, 500);
    indicator.stop();
    // Then the loop goes on: the 750 ms change drawn (on its slot), and never the same frame twice in a row.
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown[1]!.t).toBeGreaterThanOrEqual(750);
    expect(shown[1]!.t).toBeLessThan(750 + 1000 / 30 + 1);
    for (let i = 1; i < shown.length; i++) expect(key(shown[i]!.frame)).not.toBe(key(shown[i - 1]!.frame));
    for (const s of shown) expect(key(s.frame)).toBe(key(ringFrame(view, 12, s.t)));
  });

  it('stopped while a frame is on its way to the LEDs: once it latches, nothing is left scheduled to wake the loop', async () => {
    const clock = new ManualClock(0);
    const held: (() => void)[] = [];
    let hold = false;
    const ring = {
      pixelCount: 12,
      show: () => (hold ? new Promise<void>((r) => held.push(r)) : Promise.resolve()),
      setBrightness: async () => {},
    } as unknown as LightRing;
    const indicator = new RingIndicator(ring, clock, () => {});
    await indicator.render(v({ state: 'thinking' }));
    hold = true;
    clock.advance(270); // the next frame (due on the 266.7 ms slot) is being latched
    expect(held).toHaveLength(1);
    indicator.stop();
    for (const r of held) r();
    await new Promise((r) => setImmediate(r));
    expect(clock.pendingTimers).toBe(0); // with a real clock, a pending timer would wake the stopped ring (and keep the process alive)
  });
});
