import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import { TallyError } from '../../../hal/base/errors.ts';
import type { Clock } from '../../../hal/base/clock.ts';
import type { AttentionView } from '../attention/types.ts';
import type { IndicatorSink } from '../ports/indicator-sink.ts';

export interface FeedbackHubEvents {
  [event: string]: unknown[];
  /** An indicator failed to show a view: the gate must not stream. */
  failure: [sink: string, code: string];
}

/**
 * Fans every attention view out to the attached indicators (ring, screen) and keeps,
 * per view version, the promise that all of them have shown it. The privacy gate asks
 * `whenAcknowledged(version)` before the first audio byte leaves.
 */
export class FeedbackHub extends TypedEmitter<FeedbackHubEvents> {
  #sinks = new Set<IndicatorSink>();
  #acks = new Map<number, Promise<void>>();
  #last: AttentionView | null = null;

  constructor(private readonly clock: Clock) {
    super();
  }

  get sinkNames(): string[] {
    return [...this.#sinks].map((s) => s.name);
  }

  attach(sink: IndicatorSink): () => void {
    this.#sinks.add(sink);
    // The catch-up render of the current view: its failure is reported through the
    // 'failure' event; nobody awaits it, so it must not become an unhandled rejection
    // (a screen that disconnects before acknowledging would otherwise kill the process).
    if (this.#last) this.#watch(sink, sink.render(this.#last)).catch(() => undefined);
    return () => this.#sinks.delete(sink);
  }

  render(view: AttentionView): void {
    this.#last = view;
    const sinks = [...this.#sinks];
    const all = Promise.all(sinks.map((sink) => this.#watch(sink, sink.render(view))));
    const ack = all.then(() => undefined);
    ack.catch(() => undefined); // observed through whenAcknowledged / failure events
    this.#acks.set(view.version, ack);
    if (sinks.length === 0) this.#acks.set(view.version, Promise.reject(new TallyError('NO_INDICATOR', 'no indicator is attached: cannot show that the device is listening')));
    this.#acks.get(view.version)!.catch(() => undefined);
    // Keep only recent versions.
    for (const v of this.#acks.keys()) if (v < view.version - 32) this.#acks.delete(v);
  }

  /**
   * Resolves when every indicator attached at render time has shown `version`; rejects
   * (fail closed) when one failed, none is attached, or `budgetMs` passes first.
   */
  whenAcknowledged(version: number, budgetMs: number): Promise<void> {
    const ack = this.#acks.get(version);
    if (!ack) return Promise.reject(new TallyError('INDICATOR_NOT_RENDERED', `view ${version} was never rendered`));
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(
        () => reject(new TallyError('INDICATOR_TIMEOUT', `indicators did not confirm within ${budgetMs} ms`)),
        budgetMs,
      );
      ack.then(
        () => {
          this.clock.clearTimeout(timer);
          resolve();
        },
        (err) => {
          this.clock.clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  #watch(sink: IndicatorSink, p: Promise<void>): Promise<void> {
    return p.catch((err: unknown) => {
      const code = (err as { code?: string })?.code ?? 'INDICATOR_FAILED';
      this.emit('failure', sink.name, code);
      throw err;
    });
  }
}
