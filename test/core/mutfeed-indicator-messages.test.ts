import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { FeedbackHub } from '../../src/core/feedback/feedback-hub.ts';
import { ScreenIndicator } from '../../src/core/feedback/screen-indicator.ts';
import type { IndicatorSink } from '../../src/core/ports/indicator-sink.ts';

// When the listening indicator cannot be confirmed, the refusal's message is what a log
// reader (or the owner debugging "why did it not listen?") sees next to the code: it must
// say which indicator, and why — which view, which budget, a disconnect, a failed send, a
// closed bridge — not just repeat the code.

const base: AttentionView = {
  version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null,
  scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });

/** The rejection of `p`, settled without wall-clock waiting. */
async function refusal(p: Promise<unknown>): Promise<{ code?: string; message: string; cause?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string; cause?: unknown };
  }
  throw new Error('expected a refusal, got a confirmation');
}

/** An indicator that never answers. */
const silent: IndicatorSink = { name: 'ring', render: () => new Promise<void>(() => {}) };

describe('feedback hub: a refused listening view says why', () => {
  it('no indicator attached: says that nothing can show the device is listening', async () => {
    const hub = new FeedbackHub(new ManualClock(0));
    hub.render(v({ version: 4, state: 'listening' }));
    const e = await refusal(hub.whenAcknowledged(4, 1000));
    expect(e.code).toBe('NO_INDICATOR');
    expect(e.message).toMatch(/no indicator/i);
    expect(e.message).toMatch(/listening/);
  });

  it('a view that was never rendered: names that view', async () => {
    const hub = new FeedbackHub(new ManualClock(0));
    hub.attach(silent);
    hub.render(v({ version: 7, state: 'listening' }));
    const e = await refusal(hub.whenAcknowledged(9, 1000));
    expect(e.code).toBe('INDICATOR_NOT_RENDERED');
    expect(e.message).toMatch(/\bview 9\b/);
    expect(e.message).toMatch(/never rendered/);
  });

  it('the budget ran out: says the indicators did not confirm, and within what budget', async () => {
    const clock = new ManualClock(0);
    const hub = new FeedbackHub(clock);
    hub.attach(silent);
    hub.render(v({ version: 2, state: 'listening' }));
    const p = refusal(hub.whenAcknowledged(2, 1234));
    clock.advance(1234);
    const e = await p;
    expect(e.code).toBe('INDICATOR_TIMEOUT');
    expect(e.message).toMatch(/indicators? did not confirm/);
    expect(e.message).toMatch(/\b1234 ms\b/);
  });
});

describe('screen indicator: a refused render says why', () => {
  it('a screen that disconnects before painting: says the screen disconnected before it showed the indicator', async () => {
    const screen = new ScreenIndicator();
    screen.addScreen('kitchen', () => {});
    const p = refusal(screen.render(v({ version: 1, state: 'listening' })));
    screen.removeScreen('kitchen');
    const e = await p;
    expect(e.code).toBe('SCREEN_DISCONNECTED');
    expect(e.message).toMatch(/screen/);
    expect(e.message).toMatch(/disconnected/);
    expect(e.message).toMatch(/before it showed/);
  });

  it('a view that cannot be sent: says the view could not be sent to the screen, and keeps the socket error as the cause', async () => {
    const screen = new ScreenIndicator();
    const socketError = new Error('write EPIPE');
    screen.addScreen('kitchen', () => {
      throw socketError;
    });
    const e = await refusal(screen.render(v({ version: 1, state: 'listening' })));
    expect(e.code).toBe('SCREEN_SEND_FAILED');
    expect(e.message).toMatch(/could not send/);
    expect(e.message).toMatch(/screen/);
    expect(e.cause).toBe(socketError);
  });

  it('the display bridge closing: says the bridge closed', async () => {
    const screen = new ScreenIndicator();
    screen.addScreen('kitchen', () => {});
    const p = refusal(screen.render(v({ version: 1, state: 'listening' })));
    screen.close();
    const e = await p;
    expect(e.code).toBe('SCREEN_CLOSED');
    expect(e.message).toMatch(/display bridge/);
    expect(e.message).toMatch(/closed/);
  });
});
