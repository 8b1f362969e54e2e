import { isTallyError, TallyError } from '../../../hal/base/errors.ts';
import type { AttentionView } from '../attention/types.ts';
import type { IndicatorSink } from '../ports/indicator-sink.ts';

interface Waiter {
  version: number;
  pending: Set<string>;
  resolve(): void;
  reject(e: Error): void;
}

/**
 * The screen as an indicator (invariant 1). `render(view)` pushes the view to every
 * connected screen and resolves only when each of them has acknowledged painting that
 * version (or a later one: a screen paints only the newest view it has). A screen that
 * disconnects while a render waits on it makes that render reject: fail closed. The gate
 * applies its own budget (settings.indicatorAckBudgetMs) on top.
 */
export class ScreenIndicator implements IndicatorSink {
  readonly name = 'screen';
  #screens = new Map<string, { send(view: AttentionView): void; acked: number; sent: number }>();
  #waiters = new Set<Waiter>();

  get screenCount(): number {
    return this.#screens.size;
  }

  /** `sentVersion`: the view version the screen was given on connect (its hello). */
  addScreen(id: string, send: (view: AttentionView) => void, sentVersion = -1): void {
    this.#screens.set(id, { send, acked: -1, sent: sentVersion });
  }

  /**
   * Sends a view to every screen that has not been sent it yet. Both the device's
   * `change` events and `render` go through here, so each screen sees each version once.
   */
  broadcast(view: AttentionView): void {
    let failure: unknown = null;
    for (const screen of this.#screens.values()) {
      if (screen.sent >= view.version) continue;
      const before = screen.sent;
      screen.sent = view.version;
      try {
        screen.send(view);
      } catch (e) {
        screen.sent = before; // not shown: a render of this version must fail, not wait
        failure ??= e; // the other screens still get the view
      }
    }
    if (failure) throw failure;
  }

  removeScreen(id: string): void {
    if (!this.#screens.delete(id)) return;
    for (const w of [...this.#waiters]) {
      if (w.pending.has(id)) {
        this.#waiters.delete(w);
        w.reject(new TallyError('SCREEN_DISCONNECTED', 'the screen disconnected before it showed the indicator'));
      }
    }
  }

  ack(id: string, version: number): void {
    const screen = this.#screens.get(id);
    if (!screen) return;
    screen.acked = Math.max(screen.acked, version);
    for (const w of [...this.#waiters]) {
      if (version >= w.version) w.pending.delete(id);
      if (w.pending.size === 0) {
        this.#waiters.delete(w);
        w.resolve();
      }
    }
  }

  render(view: AttentionView): Promise<void> {
    if (this.#screens.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { version: view.version, pending: new Set(), resolve, reject };
      for (const [id, screen] of this.#screens) if (screen.acked < view.version) waiter.pending.add(id);
      if (waiter.pending.size === 0) return resolve();
      this.#waiters.add(waiter);
      try {
        this.broadcast(view);
      } catch (cause) {
        this.#waiters.delete(waiter);
        reject(isTallyError(cause) ? cause : new TallyError('SCREEN_SEND_FAILED', 'could not send the view to the screen', { cause }));
      }
    });
  }

  /** Rejects everything still waiting (bridge shutdown). */
  close(): void {
    for (const w of this.#waiters) w.reject(new TallyError('SCREEN_CLOSED', 'the display bridge closed'));
    this.#waiters.clear();
    this.#screens.clear();
  }
}
