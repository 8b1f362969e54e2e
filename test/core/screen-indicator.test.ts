import { describe, expect, it } from 'vitest';
import { TallyError } from '../../hal/base/errors.ts';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { ScreenIndicator } from '../../src/core/feedback/screen-indicator.ts';

// The screen as an indicator (invariant 1): a render is confirmed only once every connected
// screen acknowledged painting that version (or a later one). A screen that cannot be sent
// the view, disconnects, or a bridge that closes, refuses the render: fail closed.

const base: AttentionView = {
  version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null,
  scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });

/** A connected screen: records what it was sent; `broken` makes the socket write throw. */
function screenOn(indicator: ScreenIndicator, id: string, sentVersion?: number) {
  const got: { state: string; version: number }[] = [];
  const s = { got, broken: null as Error | null };
  indicator.addScreen(
    id,
    (view) => {
      if (s.broken) throw s.broken;
      got.push({ state: view.state, version: view.version });
    },
    sentVersion,
  );
  return s;
}

function outcome(p: Promise<unknown>): { state: string; code?: string } {
  const o: { state: string; code?: string } = { state: 'pending' };
  p.then(
    () => (o.state = 'shown'),
    (e: { code?: string }) => {
      o.state = 'refused';
      o.code = e?.code;
    },
  );
  return o;
}
const flush = () => new Promise((r) => setImmediate(r));

describe('screen indicator: confirmed only when every screen painted the view', () => {
  it('sends the listening view and waits for that screen to acknowledge it', async () => {
    const indicator = new ScreenIndicator();
    const kitchen = screenOn(indicator, 'kitchen');
    const r = outcome(indicator.render(v({ version: 1, state: 'listening' })));
    expect(kitchen.got).toEqual([{ state: 'listening', version: 1 }]);
    await flush();
    expect(r.state).toBe('pending');
    indicator.ack('kitchen', 0); // an older view painted: not this one
    await flush();
    expect(r.state).toBe('pending');
    indicator.ack('kitchen', 1);
    await flush();
    expect(r.state).toBe('shown');
  });

  it('a screen that painted a later view counts as having shown this one', async () => {
    const indicator = new ScreenIndicator();
    screenOn(indicator, 'kitchen');
    const r = outcome(indicator.render(v({ version: 2, state: 'listening' })));
    indicator.ack('kitchen', 3);
    await flush();
    expect(r.state).toBe('shown');
  });

  it('waits for every connected screen, not just the first to answer', async () => {
    const indicator = new ScreenIndicator();
    screenOn(indicator, 'a');
    screenOn(indicator, 'b');
    expect(indicator.screenCount).toBe(2);
    const r = outcome(indicator.render(v({ version: 1, state: 'listening' })));
    indicator.ack('a', 1);
    await flush();
    expect(r.state).toBe('pending');
    indicator.ack('b', 1);
    await flush();
    expect(r.state).toBe('shown');
  });

  it('an acknowledgement from an unknown screen changes nothing', async () => {
    const indicator = new ScreenIndicator();
    screenOn(indicator, 'kitchen');
    const r = outcome(indicator.render(v({ version: 1, state: 'listening' })));
    expect(() => indicator.ack('ghost', 1)).not.toThrow();
    await flush();
    expect(r.state).toBe('pending');
  });

  it('a view already painted (sent by a change event and acknowledged) is confirmed at once, not sent again', async () => {
    const indicator = new ScreenIndicator();
    const kitchen = screenOn(indicator, 'kitchen');
    const view = v({ version: 4, state: 'listening' });
    indicator.broadcast(view);
    indicator.ack('kitchen', 4);
    await expect(indicator.render(view)).resolves.toBeUndefined();
    expect(kitchen.got).toEqual([{ state: 'listening', version: 4 }]);
  });

  it('with no screen connected there is nothing to wait for', async () => {
    await expect(new ScreenIndicator().render(v({ version: 1, state: 'listening' }))).resolves.toBeUndefined();
  });
});

describe('screen indicator: each screen is sent each version once', () => {
  it('a version is not sent twice, a newer one is', () => {
    const indicator = new ScreenIndicator();
    const kitchen = screenOn(indicator, 'kitchen');
    indicator.broadcast(v({ version: 1, state: 'listening' }));
    indicator.broadcast(v({ version: 1, state: 'listening' }));
    indicator.broadcast(v({ version: 2, state: 'thinking' }));
    expect(kitchen.got).toEqual([{ state: 'listening', version: 1 }, { state: 'thinking', version: 2 }]);
  });

  it('a screen is not re-sent the view it got in its hello', () => {
    const indicator = new ScreenIndicator();
    const kitchen = screenOn(indicator, 'kitchen', 3);
    indicator.broadcast(v({ version: 3, state: 'muted', muted: true }));
    indicator.broadcast(v({ version: 4, state: 'idle' }));
    expect(kitchen.got).toEqual([{ state: 'idle', version: 4 }]);
  });
});

describe('screen indicator: fail closed', () => {
  it('a screen that cannot be sent the view refuses the render; the other screens still get it', async () => {
    const indicator = new ScreenIndicator();
    const broken = screenOn(indicator, 'broken');
    const ok = screenOn(indicator, 'ok');
    broken.broken = new Error('socket write after end');
    await expect(indicator.render(v({ version: 1, state: 'listening' }))).rejects.toMatchObject({ code: 'SCREEN_SEND_FAILED', cause: broken.broken });
    expect(ok.got).toEqual([{ state: 'listening', version: 1 }]);
  });

  it('a coded send failure keeps its code', async () => {
    const indicator = new ScreenIndicator();
    const s = screenOn(indicator, 'kitchen');
    s.broken = new TallyError('SCREEN_VIEW_INVALID', 'not a valid view');
    await expect(indicator.render(v({ version: 1, state: 'listening' }))).rejects.toMatchObject({ code: 'SCREEN_VIEW_INVALID' });
  });

  it('a view that failed to send is sent again on the next render, not assumed shown', async () => {
    const indicator = new ScreenIndicator();
    const s = screenOn(indicator, 'kitchen');
    s.broken = new Error('busy');
    const view = v({ version: 1, state: 'listening' });
    await expect(indicator.render(view)).rejects.toBeDefined();
    s.broken = null;
    const r = outcome(indicator.render(view));
    expect(s.got).toEqual([{ state: 'listening', version: 1 }]);
    indicator.ack('kitchen', 1);
    await flush();
    expect(r.state).toBe('shown');
  });

  it('a screen that disconnects before acknowledging refuses the render', async () => {
    const indicator = new ScreenIndicator();
    screenOn(indicator, 'kitchen');
    const r = indicator.render(v({ version: 1, state: 'listening' }));
    indicator.removeScreen('kitchen');
    await expect(r).rejects.toMatchObject({ code: 'SCREEN_DISCONNECTED' });
    expect(indicator.screenCount).toBe(0);
  });

  it('a screen that disconnects after acknowledging does not refuse what the others still owe', async () => {
    const indicator = new ScreenIndicator();
    screenOn(indicator, 'a');
    screenOn(indicator, 'b');
    const r = outcome(indicator.render(v({ version: 1, state: 'listening' })));
    indicator.ack('a', 1);
    indicator.removeScreen('a');
    indicator.removeScreen('nobody');
    await flush();
    expect(r.state).toBe('pending');
    indicator.ack('b', 1);
    await flush();
    expect(r.state).toBe('shown');
  });

  it('closing the bridge refuses every render still waiting and forgets the screens', async () => {
    const indicator = new ScreenIndicator();
    screenOn(indicator, 'kitchen');
    const r = indicator.render(v({ version: 1, state: 'listening' }));
    indicator.close();
    await expect(r).rejects.toMatchObject({ code: 'SCREEN_CLOSED' });
    expect(indicator.screenCount).toBe(0);
  });
});
