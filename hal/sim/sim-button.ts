import type { Button, ButtonEvents, ButtonOptions } from '../button.ts';
import { ButtonDebouncer } from '../button-debouncer.ts';
import { TypedEmitter } from '../base/typed-emitter.ts';
import type { SimRecorder } from './sim-recorder.ts';

/**
 * Simulated push button. Tests drive the raw contact (`setRaw`, `bounce`) to exercise
 * the debouncer, or use `press()` for one clean debounced press-and-release.
 */
export class SimButton extends TypedEmitter<ButtonEvents> implements Button {
  readonly name: string;
  readonly #debouncer: ButtonDebouncer;
  readonly #rec: SimRecorder;
  readonly #debounceMs: number;
  #closed = false;

  constructor(rec: SimRecorder, opts: ButtonOptions & { name?: string } = {}) {
    super();
    this.#rec = rec;
    this.name = opts.name ?? 'button';
    this.#debounceMs = opts.debounceMs ?? 50;
    this.#debouncer = new ButtonDebouncer(
      rec.clock,
      {
        press: () => this.#fire('press'),
        release: () => this.#fire('release'),
        longPress: () => this.#fire('long-press'),
      },
      { debounceMs: this.#debounceMs, ...(opts.longPressMs !== undefined ? { longPressMs: opts.longPressMs } : {}) },
    );
  }

  get isPressed(): boolean {
    return this.#debouncer.pressed;
  }

  /** Raw contact level, as a GPIO would see it. */
  setRaw(pressed: boolean): void {
    if (this.#closed) return;
    this.#debouncer.input(pressed);
  }

  /**
   * A whole press: contact made, held `holdMs`, released; advances nothing itself, so
   * with a ManualClock the caller advances time. With `instant`, fires press+release
   * synchronously (demo keyboard, property tests) without touching the clock.
   */
  press(opts: { instant?: boolean } = { instant: true }): void {
    if (this.#closed) return;
    if (opts.instant) {
      this.#fire('press');
      this.#fire('release');
      return;
    }
    this.setRaw(true);
  }

  release(): void {
    this.setRaw(false);
  }

  /** Push-to-talk in tests: the debounced press now, held until `up()`. */
  down(): void {
    this.#fire('press');
  }

  up(): void {
    this.#fire('release');
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#debouncer.dispose();
  }

  #fire(kind: 'press' | 'release' | 'long-press'): void {
    if (this.#closed) return;
    this.#rec.record(this.name, kind);
    this.emit(kind);
  }
}
