import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { HalError } from '../../hal/errors.ts';
import type { LightRing, RingFrame } from '../../hal/light-ring.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { RingIndicator } from '../../src/core/feedback/ring-indicator.ts';
import { COLORS, isListeningFrame, ringFrame } from '../../src/core/feedback/ring-patterns.ts';

// What the ring shows in each state, in day and night mode; that `render` (the
// acknowledgement the privacy gate waits for) resolves only once the frame is latched; and
// what happens when the ring fails.

const base: AttentionView = {
  version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null,
  scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });
const key = (f: RingFrame) => f.map((p) => p.join(',')).join(' ');

/** A ring whose every operation is logged; `latch` controls when a frame counts as shown. */
function fakeRing(clock: ManualClock, pixelCount = 12) {
  const log: string[] = [];
  let current: RingFrame = [];
  let currentAt = 0;
  let brightness = 1;
  let failNext: Error | null = null;
  let hold: (() => void)[] | null = null;
  const ring = {
    pixelCount,
    show: (frame: RingFrame) => {
      if (failNext) {
        const e = failNext;
        failNext = null;
        return Promise.reject(e);
      }
      const latch = () => {
        current = frame;
        currentAt = clock.now();
        log.push(`frame@${clock.now()}`);
      };
      if (!hold) {
        latch();
        return Promise.resolve();
      }
      return new Promise<void>((r) => hold!.push(() => (latch(), r())));
    },
    setBrightness: async (b: number) => {
      brightness = b;
      log.push(`brightness ${b}`);
    },
  } as unknown as LightRing;
  return {
    ring,
    log,
    get current() {
      return current;
    },
    /** When the frame now on the ring was latched. */
    get currentAt() {
      return currentAt;
    },
    get brightness() {
      return brightness;
    },
    failNextShow: (e: Error) => (failNext = e),
    holdFrames: () => (hold = []),
    releaseFrames: () => {
      const h = hold ?? [];
      hold = null;
      for (const f of h) f();
    },
  };
}

async function run(clock: ManualClock, ms: number, each?: (t: number) => void): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    clock.advance(10);
    await Promise.resolve();
    each?.(clock.now());
  }
}

describe('ring indicator: what the ring shows', () => {
  it('listening is the blue indicator at full brightness, and render resolves only once it is latched', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    r.holdFrames();
    const indicator = new RingIndicator(r.ring, clock, () => {});
    let acknowledged = false;
    const done = indicator.render(v({ state: 'listening', talkerDirection: 90 })).then(() => (acknowledged = true));
    await new Promise((res) => setImmediate(res));
    expect(acknowledged).toBe(false); // the frame is not on the LEDs yet: no acknowledgement
    r.releaseFrames();
    await done;
    expect(isListeningFrame(r.current)).toBe(true);
    expect(r.brightness).toBe(1);
  });

  it('muted is solid red; idle is dark', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    await indicator.render(v({ state: 'muted', muted: true }));
    expect(r.current.every((p) => p.join() === COLORS.red.join())).toBe(true);
    await indicator.render(v({ version: 2, state: 'idle' }));
    expect(r.current.every((p) => p.join() === '0,0,0')).toBe(true);
  });

  it('night mode dims the other states but never the listening, follow-up or mute indicators', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    const brightnessIn = async (over: Partial<AttentionView>) => {
      await indicator.render(v({ night: true, ...over }));
      const b = r.brightness;
      indicator.stop();
      return b;
    };
    expect(await brightnessIn({ state: 'idle' })).toBe(0.15);
    expect(await brightnessIn({ state: 'listening' })).toBe(1);
    expect(await brightnessIn({ state: 'thinking' })).toBe(0.15);
    expect(await brightnessIn({ state: 'follow-up', followUpEndsAt: 5000, followUpMs: 5000 })).toBe(1);
    expect(await brightnessIn({ state: 'speaking' })).toBe(0.15);
    expect(await brightnessIn({ state: 'muted', muted: true })).toBe(1);
    expect(await brightnessIn({ state: 'idle', night: false })).toBe(1);
  });

  it('the brightness is set before the frame it applies to, and only when it changes', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    await indicator.render(v({ state: 'idle', night: true }));
    await indicator.render(v({ version: 2, state: 'idle', night: true }));
    await indicator.render(v({ version: 3, state: 'listening', night: true }));
    expect(r.log).toEqual(['brightness 0.15', 'frame@0', 'frame@0', 'brightness 1', 'frame@0']);
  });

  it('every animated state keeps showing its pattern for the current time', async () => {
    const states: Partial<AttentionView>[] = [
      { state: 'thinking' },
      { state: 'speaking' },
      { state: 'follow-up', followUpEndsAt: 2000, followUpMs: 2000 },
      { state: 'offline', online: false },
      { state: 'error', error: { code: 'X', message: 'x' } as never },
      { state: 'fault' },
      { state: 'notification' },
      { state: 'idle', confirm: { endsAt: 2000 } as never },
    ];
    for (const over of states) {
      const clock = new ManualClock(0);
      const r = fakeRing(clock);
      const indicator = new RingIndicator(r.ring, clock, (e) => expect.fail(String(e)));
      const view = v(over);
      await indicator.render(view);
      await run(clock, 2000, (t) => {
        // The ring shows the pattern's frame for an instant at most one 30 fps slot (plus the
        // 10 ms test step) ago, or it drew the pattern's frame for its time that recently.
        const now = Array.from({ length: 44 }, (_, d) => key(ringFrame(view, 12, t - d))).includes(key(r.current));
        const recent = t - r.currentAt <= 1000 / 30 + 10 && key(ringFrame(view, 12, r.currentAt)) === key(r.current);
        expect(now || recent, `${over.state} at ${t} ms`).toBe(true);
      });
      indicator.stop();
    }
  });

  it('a static state leaves no loop running; stop ends an animation', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    await indicator.render(v({ state: 'listening' }));
    expect(clock.pendingTimers).toBe(0);
    await indicator.render(v({ version: 2, state: 'thinking' }));
    indicator.stop();
    const frames = indicator.framesShown;
    await run(clock, 1000);
    expect(indicator.framesShown).toBe(frames);
    expect(clock.pendingTimers).toBe(0);
  });

  it('speaking pulses smoothly: a new frame on every 30 fps slot', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    await indicator.render(v({ state: 'speaking' }));
    await run(clock, 1200);
    expect(indicator.framesShown).toBeGreaterThanOrEqual(36);
    indicator.stop();
  });

  it('stop holds even when it lands while an animation frame is being latched', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    await indicator.render(v({ state: 'thinking' }));
    r.holdFrames();
    await run(clock, 270); // the next thinking frame is on its way to the LEDs
    indicator.stop();
    r.releaseFrames();
    const frames = indicator.framesShown;
    await run(clock, 1000);
    expect(indicator.framesShown).toBe(frames);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a state that replaces one still being latched leaves no old loop behind', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    r.holdFrames();
    const thinking = indicator.render(v({ state: 'thinking' }));
    const muted = indicator.render(v({ version: 2, state: 'muted', muted: true }));
    r.releaseFrames();
    await Promise.all([thinking, muted]);
    expect(clock.pendingTimers).toBe(0);
    await run(clock, 1000);
    expect(r.current.every((p) => p.join() === COLORS.red.join())).toBe(true);
  });

  it('a new view of the same offline state does not restart the fast spin', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    await indicator.render(v({ state: 'offline', online: false }));
    await run(clock, 20_000);
    await indicator.render(v({ version: 2, state: 'offline', online: false, timers: [] }));
    const before = indicator.framesShown;
    await run(clock, 9000);
    expect(indicator.framesShown - before).toBeLessThanOrEqual(4); // still crawling: one step every 3 s
    indicator.stop();
  });
});

describe('ring indicator: when the ring fails', () => {
  it('a frame that cannot be latched rejects the render (the gate then refuses to stream)', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    r.failNextShow(new HalError('DEVICE_WRITE_FAILED', 'ring', 'spi write failed'));
    await expect(indicator.render(v({ state: 'listening' }))).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
  });

  it('a failed animation frame is reported', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const failures: unknown[] = [];
    const indicator = new RingIndicator(r.ring, clock, (e) => failures.push(e));
    await indicator.render(v({ state: 'thinking' }));
    r.failNextShow(new HalError('DEVICE_WRITE_FAILED', 'ring', 'spi write failed'));
    await run(clock, 300);
    expect(failures).toMatchObject([{ code: 'DEVICE_WRITE_FAILED' }]);
    indicator.stop();
  });

  it('a frame of an old state failing after a new state was rendered is not reported against the new one', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const failures: unknown[] = [];
    const indicator = new RingIndicator(r.ring, clock, (e) => failures.push(e));
    await indicator.render(v({ state: 'thinking' }));
    let rejectOld: (e: Error) => void = () => {};
    const show = r.ring.show.bind(r.ring);
    (r.ring as { show: LightRing['show'] }).show = () => new Promise((_, rej) => (rejectOld = rej));
    await run(clock, 270); // the thinking loop starts its next frame, which hangs on the bus
    (r.ring as { show: LightRing['show'] }).show = show;
    await indicator.render(v({ version: 2, state: 'muted', muted: true }));
    rejectOld(new HalError('DEVICE_WRITE_FAILED', 'ring', 'late'));
    await run(clock, 100);
    expect(failures).toEqual([]);
    expect(r.current.every((p) => p.join() === COLORS.red.join())).toBe(true);
  });
});

describe('ring indicator: the offline spin', () => {
  it('spins at full speed from when the device went offline, not from when the ring started', async () => {
    const clock = new ManualClock(0);
    const r = fakeRing(clock);
    const indicator = new RingIndicator(r.ring, clock, () => {});
    await indicator.render(v({ state: 'idle' }));
    await run(clock, 20_000);
    await indicator.render(v({ version: 2, state: 'offline', online: false }));
    const before = indicator.framesShown;
    await run(clock, 2000);
    expect(indicator.framesShown - before).toBeGreaterThan(20); // the head moves every 80 ms
    indicator.stop();
  });
});
