import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';
import type { Settings } from '../settings/schema.ts';
import { initialMachineState, type MachineEffect, type MachineState, type TimerName } from './machine-state.ts';
import { transition, type MachineInput } from './transition.ts';
import type { AttentionEvent, AttentionView } from './types.ts';
import { buildView, sameView } from './view.ts';

export { ERROR_DISPLAY_MS, FOLLOW_UP_GRACE_MS, NOTIFICATION_DISPLAY_MS } from './transition-draft.ts';

export interface MachineEvents {
  [event: string]: unknown[];
  change: [view: AttentionView, previous: AttentionView];
  /** An input that was refused (e.g. button while muted): the device plays the error tone. */
  refused: [code: string];
  /** The action button confirmed a dangerous voice command. */
  confirmed: [what: string];
  'confirm-expired': [what: string];
}

export interface MachineOptions {
  clock: Clock;
  settings: () => Settings;
  muted: boolean;
  softwareMute: boolean;
  online?: boolean;
  /** With a local VAD, listening also ends after `noSpeechTimeoutMs` without speech. */
  hasEndpointDetector?: boolean;
  /** Inside the scheduled mute at boot. */
  scheduled?: boolean;
  /** Why the device starts in a state the owner did not choose. */
  notice?: { code: string } | null;
}

/**
 * The attention state machine's shell around the pure `transition`: it owns the timers,
 * runs the effects and publishes the view. Synchronous: `send` applies an event and emits
 * at most one `change` with the new view before returning, so listeners (the privacy gate
 * first) act in the same tick — a mute press aborts a stream "at once".
 */
export class AttentionMachine extends TypedEmitter<MachineEvents> {
  readonly #clock: Clock;
  readonly #settings: () => Settings;
  readonly #hasEndpoint: boolean;
  #state: MachineState;
  #version = 0;
  #view: AttentionView;
  #timers = new Map<TimerName, TimerHandle>();

  constructor(opts: MachineOptions) {
    super();
    this.#clock = opts.clock;
    this.#settings = opts.settings;
    this.#hasEndpoint = opts.hasEndpointDetector ?? false;
    this.#state = initialMachineState({
      muted: opts.muted,
      softwareMute: opts.softwareMute,
      online: opts.online ?? false,
      night: opts.settings().nightMode,
      scheduled: opts.scheduled ?? false,
      notice: opts.notice ?? null,
    });
    this.#view = buildView(this.#state, opts.settings(), 0);
  }

  get view(): AttentionView {
    return this.#view;
  }

  /** The machine's full state (read-only), for tests and diagnostics. */
  get state(): MachineState {
    return this.#state;
  }

  send(event: AttentionEvent): void {
    this.#dispatch(event);
  }

  /** Stops all timers (shutdown). Closes an open stream. */
  dispose(): void {
    this.#dispatch({ type: 'shutdown' });
  }

  #dispatch(input: MachineInput): void {
    const { state, effects } = transition(this.#state, input, { now: this.#clock.now(), settings: this.#settings(), hasEndpointDetector: this.#hasEndpoint });
    this.#state = state;
    for (const effect of effects) this.#run(effect);
    this.#publish();
  }

  #run(effect: MachineEffect): void {
    switch (effect.kind) {
      case 'set-timer': {
        this.#clearTimer(effect.name);
        const name = effect.name;
        const handle = this.#clock.setTimeout(() => {
          this.#timers.delete(name);
          this.#dispatch({ type: 'timer', name });
        }, effect.ms);
        this.#timers.set(name, handle);
        return;
      }
      case 'clear-timer':
        this.#clearTimer(effect.name);
        return;
      case 'refused':
        this.emit('refused', effect.code);
        return;
      case 'confirmed':
        this.emit('confirmed', effect.what);
        return;
      case 'confirm-expired':
        this.emit('confirm-expired', effect.what);
        return;
    }
  }

  #clearTimer(name: TimerName): void {
    const t = this.#timers.get(name);
    if (t) this.#clock.clearTimeout(t);
    this.#timers.delete(name);
  }

  #publish(): void {
    const next = buildView(this.#state, this.#settings(), this.#version);
    const prev = this.#view;
    if (sameView(prev, next)) return;
    next.version = ++this.#version;
    this.#view = next;
    this.emit('change', next, prev);
  }
}
