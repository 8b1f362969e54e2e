import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { TallyError } from '../../hal/base/errors.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import type { LightRing } from '../../hal/light-ring.ts';
import { FeedbackHub } from '../../src/core/feedback/feedback-hub.ts';
import { RingIndicator } from '../../src/core/feedback/ring-indicator.ts';
import { ScreenIndicator } from '../../src/core/feedback/screen-indicator.ts';
import type { IndicatorSink } from '../../src/core/ports/indicator-sink.ts';

// The hub is what the privacy gate asks "has every indicator shown the listening view?"
// before the first audio byte leaves. These tests hold it to: yes only when every attached
// indicator really showed that version; no (fail closed) on any failure, on no indicator,
// on a view it never rendered, or when the budget runs out.

const base: AttentionView = {
  version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null,
  scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });

/** An indicator the test controls: each render waits until the test shows or fails it. */
class ManualSink implements IndicatorSink {
  shown: { state: string; version: number }[] = [];
  #pending = new Map<number, { resolve(): void; reject(e: unknown): void }>();
  constructor(readonly name: string) {}
  render(view: AttentionView): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.set(view.version, {
        resolve: () => {
          this.shown.push({ state: view.state, version: view.version });
          resolve();
        },
        reject,
      });
    });
  }
  get rendering(): number[] {
    return [...this.#pending.keys()];
  }
  show(version: number) {
    this.#pending.get(version)!.resolve();
    this.#pending.delete(version);
  }
  fail(version: number, err: unknown) {
    this.#pending.get(version)!.reject(err);
    this.#pending.delete(version);
  }
}

/** Settles `p` into a readable outcome without waiting on wall-clock time. */
function outcome(p: Promise<unknown>): { state: string; code?: string } {
  const o: { state: string; code?: string } = { state: 'pending' };
  p.then(
    () => (o.state = 'confirmed'),
    (e: { code?: string }) => {
      o.state = 'refused';
      o.code = e?.code;
    },
  );
  return o;
}
const flush = () => new Promise((r) => setImmediate(r));

function rig() {
  const clock = new ManualClock(0);
  const hub = new FeedbackHub(clock);
  const failures: [string, string][] = [];
  hub.on('failure', (sink, code) => void failures.push([sink, code]));
  return { clock, hub, failures };
}

describe('feedback hub: the listening view is confirmed only once every indicator showed it', () => {
  it('waits for the ring AND the screen, then confirms', async () => {
    const { hub, clock } = rig();
    const ring = new ManualSink('ring');
    const screen = new ManualSink('screen');
    hub.attach(ring);
    hub.attach(screen);
    expect(hub.sinkNames).toEqual(['ring', 'screen']);
    hub.render(v({ version: 5, state: 'listening' }));
    expect(ring.rendering).toEqual([5]);
    expect(screen.rendering).toEqual([5]);
    const ack = outcome(hub.whenAcknowledged(5, 1000));
    ring.show(5);
    await flush();
    expect(ack.state).toBe('pending'); // the screen has not painted the bar yet
    screen.show(5);
    await flush();
    expect(ack.state).toBe('confirmed');
    expect(clock.pendingTimers).toBe(0); // the budget timer is gone once confirmed
  });

  it('refuses when one indicator fails, and says which one and why', async () => {
    const { hub, clock, failures } = rig();
    const ring = new ManualSink('ring');
    const screen = new ManualSink('screen');
    hub.attach(ring);
    hub.attach(screen);
    hub.render(v({ version: 2, state: 'listening' }));
    const ack = outcome(hub.whenAcknowledged(2, 1000));
    ring.show(2);
    screen.fail(2, new TallyError('SCREEN_DISCONNECTED', 'gone'));
    await flush();
    expect(ack).toEqual({ state: 'refused', code: 'SCREEN_DISCONNECTED' });
    expect(failures).toEqual([['screen', 'SCREEN_DISCONNECTED']]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('an indicator failing without a code (or without any reason) is reported as INDICATOR_FAILED', async () => {
    const { hub, failures } = rig();
    const ring = new ManualSink('ring');
    const screen = new ManualSink('screen');
    hub.attach(ring);
    hub.attach(screen);
    hub.render(v({ version: 3, state: 'listening' }));
    const ack = outcome(hub.whenAcknowledged(3, 1000));
    ring.fail(3, new Error('i2c write failed'));
    screen.fail(3, undefined);
    await flush();
    expect(ack.state).toBe('refused');
    expect(failures).toEqual([['ring', 'INDICATOR_FAILED'], ['screen', 'INDICATOR_FAILED']]);
  });

  it('refuses when no indicator is attached: nothing could show that the device listens', async () => {
    const { hub } = rig();
    hub.render(v({ version: 4, state: 'listening' }));
    await expect(hub.whenAcknowledged(4, 1000)).rejects.toMatchObject({ code: 'NO_INDICATOR' });
  });

  it('refuses a view it never rendered', async () => {
    const { hub } = rig();
    hub.attach(new ManualSink('ring'));
    hub.render(v({ version: 1 }));
    await expect(hub.whenAcknowledged(2, 1000)).rejects.toMatchObject({ code: 'INDICATOR_NOT_RENDERED' });
  });

  it('refuses when the indicators do not confirm within the budget, not before', async () => {
    const { hub, clock } = rig();
    const ring = new ManualSink('ring');
    hub.attach(ring);
    hub.render(v({ version: 6, state: 'listening' }));
    const ack = outcome(hub.whenAcknowledged(6, 300));
    clock.advance(299);
    await flush();
    expect(ack.state).toBe('pending');
    clock.advance(1);
    await flush();
    expect(ack).toEqual({ state: 'refused', code: 'INDICATOR_TIMEOUT' });
    ring.show(6); // a late frame does not turn a refusal into a stream
    await flush();
    expect(ack.state).toBe('refused');
  });

  it('waits for the indicators of the version asked about, not an older or newer one', async () => {
    const { hub } = rig();
    const ring = new ManualSink('ring');
    hub.attach(ring);
    hub.render(v({ version: 1, state: 'idle' }));
    hub.render(v({ version: 2, state: 'listening' }));
    hub.render(v({ version: 3, state: 'thinking' }));
    const ack = outcome(hub.whenAcknowledged(2, 1000));
    ring.show(1);
    ring.show(3);
    await flush();
    expect(ack.state).toBe('pending');
    ring.show(2);
    await flush();
    expect(ack.state).toBe('confirmed');
  });

  it('still answers for the last 33 versions and forgets older ones', async () => {
    const { hub } = rig();
    const ring = new ManualSink('ring');
    hub.attach(ring);
    for (let version = 1; version <= 40; version++) hub.render(v({ version }));
    for (let version = 1; version <= 40; version++) ring.show(version);
    await expect(hub.whenAcknowledged(7, 1000)).rejects.toMatchObject({ code: 'INDICATOR_NOT_RENDERED' });
    await expect(hub.whenAcknowledged(8, 1000)).resolves.toBeUndefined();
    await expect(hub.whenAcknowledged(40, 1000)).resolves.toBeUndefined();
  });
});

describe('feedback hub: attaching and detaching indicators', () => {
  it('an indicator attached later is shown the current view at once', async () => {
    const { hub } = rig();
    const screen = new ManualSink('screen');
    hub.render(v({ version: 9, state: 'muted', muted: true })); // before any indicator is attached
    hub.attach(screen);
    expect(screen.rendering).toEqual([9]);
    screen.show(9);
    expect(screen.shown).toEqual([{ state: 'muted', version: 9 }]);
  });

  it('an indicator attached before any view is not shown anything until the first render', () => {
    const { hub } = rig();
    const ring = new ManualSink('ring');
    hub.attach(ring);
    expect(ring.rendering).toEqual([]);
  });

  it('a late indicator failing its catch-up render is reported, without an unhandled rejection', async () => {
    const { hub, failures } = rig();
    hub.attach(new ManualSink('ring'));
    hub.render(v({ version: 3, state: 'muted', muted: true }));
    const screen = new ManualSink('screen');
    hub.attach(screen);
    screen.fail(3, new TallyError('SCREEN_DISCONNECTED', 'gone'));
    await flush();
    expect(failures).toEqual([['screen', 'SCREEN_DISCONNECTED']]);
  });

  it('a detached indicator is no longer rendered to nor waited for', async () => {
    const { hub } = rig();
    const ring = new ManualSink('ring');
    const screen = new ManualSink('screen');
    hub.attach(ring);
    const detach = hub.attach(screen);
    detach();
    expect(hub.sinkNames).toEqual(['ring']);
    hub.render(v({ version: 2, state: 'listening' }));
    expect(screen.rendering).toEqual([]);
    ring.show(2);
    await expect(hub.whenAcknowledged(2, 1000)).resolves.toBeUndefined();
  });

  it('when the last indicator is detached, a listening view is refused', async () => {
    const { hub } = rig();
    const detach = hub.attach(new ManualSink('ring'));
    detach();
    hub.render(v({ version: 2, state: 'listening' }));
    await expect(hub.whenAcknowledged(2, 1000)).rejects.toMatchObject({ code: 'NO_INDICATOR' });
  });
});

describe('feedback hub: failures name the real indicator', () => {
  it('a ring and a screen that fail are reported as "ring" and "screen"', async () => {
    const { hub, failures } = rig();
    const ring = new RingIndicator(
      { pixelCount: 12, show: () => Promise.reject(new TallyError('DEVICE_WRITE_FAILED', 'spi')), setBrightness: async () => {} } as unknown as LightRing,
      new ManualClock(0),
      () => {},
    );
    const screen = new ScreenIndicator();
    screen.addScreen('kitchen', () => {
      throw new Error('socket closed');
    });
    hub.attach(ring);
    hub.attach(screen);
    hub.render(v({ version: 1, state: 'listening' }));
    await expect(hub.whenAcknowledged(1, 1000)).rejects.toBeDefined();
    await flush();
    expect([...failures].sort()).toEqual([['ring', 'DEVICE_WRITE_FAILED'], ['screen', 'SCREEN_SEND_FAILED']]);
  });
});
