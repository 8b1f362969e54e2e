import { DEFAULT_DEBOUNCE_MS, DEFAULT_LONG_PRESS_MS, type Button, type ButtonEvents, type ButtonOptions } from '../../button.ts';
import { HalError } from '../../errors.ts';
import { TypedEmitter } from '../../typed-emitter.ts';
import type { Clock, TimerHandle } from '../../../src/clock.ts';

/**
 * The button state machine shared by every button driver: feed it raw line levels and it
 * emits debounced press/release and long-press, timed on the injected clock.
 *
 * Debounce rule: a new level is accepted only once the line has held it for
 * `debounceMs` without change; any bounce restarts the wait. So a bounce shorter than
 * the window produces no event, and a press is reported `debounceMs` after it settles.
 */
export class DebouncedButton extends TypedEmitter<ButtonEvents> implements Button {
  readonly #clock: Clock;
  readonly #debounceMs: number;
  readonly #longPressMs: number;
  readonly #device: string;
  readonly #onClose: () => Promise<void>;
  #raw = false;
  #stable = false;
  #settle: TimerHandle | undefined;
  #long: TimerHandle | undefined;
  #dead = false;
  #closed = false;

  constructor(device: string, clock: Clock, opts: ButtonOptions = {}, onClose: () => Promise<void> = async () => {}) {
    super();
    this.#device = device;
    this.#clock = clock;
    this.#debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.#longPressMs = opts.longPressMs ?? DEFAULT_LONG_PRESS_MS;
    this.#onClose = onClose;
  }

  get isPressed(): boolean {
    return this.#stable;
  }

  /** A raw sample or edge from the line (true = pressed). */
  input(pressed: boolean): void {
    if (this.#dead) return;
    this.#raw = pressed;
    this.#clock.clearTimeout(this.#settle);
    this.#settle = undefined;
    if (pressed === this.#stable) return;
    if (this.#debounceMs === 0) return this.#accept();
    this.#settle = this.#clock.setTimeout(() => {
      this.#settle = undefined;
      this.#accept();
    }, this.#debounceMs);
  }

  /** The line could not be read: report once, then stay silent (fail quiet, not phantom presses). */
  fail(cause: unknown): void {
    if (this.#dead) return;
    this.#stopTimers();
    this.#dead = true;
    this.emit('error', new HalError('DEVICE_READ_FAILED', this.#device, 'button line could not be read', { cause }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#dead = true;
    this.#stopTimers();
    await this.#onClose();
    this.removeAllListeners();
  }

  #accept(): void {
    if (this.#raw === this.#stable) return;
    this.#stable = this.#raw;
    if (this.#stable) {
      this.emit('press');
      this.#long = this.#clock.setTimeout(() => {
        this.#long = undefined;
        if (this.#stable && !this.#dead) this.emit('long-press');
      }, this.#longPressMs);
    } else {
      this.#clock.clearTimeout(this.#long);
      this.#long = undefined;
      this.emit('release');
    }
  }

  #stopTimers(): void {
    this.#clock.clearTimeout(this.#settle);
    this.#clock.clearTimeout(this.#long);
    this.#settle = this.#long = undefined;
  }
}
