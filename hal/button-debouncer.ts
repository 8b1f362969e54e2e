import type { Clock, TimerHandle } from './base/clock.ts';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_LONG_PRESS_MS } from './button.ts';

/**
 * Turns raw contact levels into debounced press / release / long-press, shared by every
 * button driver (sim, GPIO, Firmata). A level must hold for `debounceMs` before it
 * counts; bounces shorter than that produce nothing.
 */
export interface DebouncedButtonHandlers {
  press(): void;
  release(): void;
  longPress(): void;
}

export class ButtonDebouncer {
  readonly #clock: Clock;
  readonly #debounceMs: number;
  readonly #longPressMs: number;
  readonly #on: DebouncedButtonHandlers;
  #raw = false;
  #stable = false;
  #settle: TimerHandle | undefined;
  #long: TimerHandle | undefined;

  constructor(clock: Clock, on: DebouncedButtonHandlers, opts: { debounceMs?: number; longPressMs?: number } = {}) {
    this.#clock = clock;
    this.#on = on;
    this.#debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.#longPressMs = opts.longPressMs ?? DEFAULT_LONG_PRESS_MS;
  }

  get pressed(): boolean {
    return this.#stable;
  }

  /** Feed a raw level change (true = pressed). */
  input(pressed: boolean): void {
    if (pressed === this.#raw) return;
    this.#raw = pressed;
    this.#clock.clearTimeout(this.#settle);
    if (this.#debounceMs === 0) return this.#commit();
    this.#settle = this.#clock.setTimeout(() => this.#commit(), this.#debounceMs);
  }

  #commit(): void {
    this.#settle = undefined;
    if (this.#raw === this.#stable) return;
    this.#stable = this.#raw;
    if (this.#stable) {
      this.#on.press();
      this.#long = this.#clock.setTimeout(() => {
        this.#long = undefined;
        if (this.#stable) this.#on.longPress();
      }, this.#longPressMs);
    } else {
      this.#clock.clearTimeout(this.#long);
      this.#long = undefined;
      this.#on.release();
    }
  }

  dispose(): void {
    this.#clock.clearTimeout(this.#settle);
    this.#clock.clearTimeout(this.#long);
  }
}
