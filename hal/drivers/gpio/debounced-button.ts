import type { Button, ButtonEvents, ButtonOptions } from '../../button.ts';
import { ButtonDebouncer } from '../../button-debouncer.ts';
import { HalError } from '../../errors.ts';
import { TypedEmitter } from '../../base/typed-emitter.ts';
import type { Clock } from '../../base/clock.ts';

/**
 * A Button fed with raw line levels by any real back end (GPIO sampling or edges,
 * Firmata reports, keyboard): the shared ButtonDebouncer does the timing on the
 * injected clock; this adds the events, read failures and close.
 */
export class DebouncedButton extends TypedEmitter<ButtonEvents> implements Button {
  readonly #device: string;
  readonly #debouncer: ButtonDebouncer;
  readonly #onClose: () => Promise<void>;
  #dead = false;
  #closed = false;

  constructor(device: string, clock: Clock, opts: ButtonOptions = {}, onClose: () => Promise<void> = async () => {}) {
    super();
    this.#device = device;
    this.#onClose = onClose;
    this.#debouncer = new ButtonDebouncer(
      clock,
      {
        press: () => this.emit('press'),
        release: () => this.emit('release'),
        longPress: () => this.emit('long-press'),
      },
      opts,
    );
  }

  get isPressed(): boolean {
    return this.#debouncer.pressed;
  }

  /** A raw sample or edge from the line (true = pressed). */
  input(pressed: boolean): void {
    if (!this.#dead) this.#debouncer.input(pressed);
  }

  /** The line could not be read: report once, then stay silent (no phantom presses). */
  fail(cause: unknown): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#debouncer.dispose();
    this.emit('error', new HalError('DEVICE_READ_FAILED', this.#device, 'button line could not be read', { cause }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#dead = true;
    this.#debouncer.dispose();
    await this.#onClose();
    this.removeAllListeners();
  }
}
