import type { LightRing } from '../../../hal/light-ring.ts';
import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';
import type { AttentionView } from '../attention/types.ts';
import type { IndicatorSink } from '../ports/indicator-sink.ts';
import { isAnimated, ringFrame } from './ring-patterns.ts';

export const RING_FPS = 30;
const NIGHT_BRIGHTNESS = 0.15;

/**
 * Shows the attention state on the light ring. `render` resolves once the first frame of
 * the new state is latched (the acknowledgement); animated states keep rendering at
 * 30 fps on the clock. A failed animation frame is reported through `onFailure`.
 * Night mode dims everything except the mute and listening indicators.
 */
export class RingIndicator implements IndicatorSink {
  readonly name = 'ring';
  #timer: TimerHandle | undefined;
  #view: AttentionView | null = null;
  #brightness: number | null = null;

  constructor(
    private readonly ring: LightRing,
    private readonly clock: Clock,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  async render(view: AttentionView): Promise<void> {
    this.#view = view;
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const dim = view.night && !['listening', 'follow-up', 'muted'].includes(view.state);
    const brightness = dim ? NIGHT_BRIGHTNESS : 1;
    if (brightness !== this.#brightness) {
      await this.ring.setBrightness(brightness);
      this.#brightness = brightness;
    }
    await this.ring.show(ringFrame(view, this.ring.pixelCount, this.clock.now()));
    if (isAnimated(view) && this.#view === view) this.#schedule(view);
  }

  stop(): void {
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#view = null;
  }

  #schedule(view: AttentionView): void {
    this.#timer = this.clock.setTimeout(() => {
      if (this.#view !== view) return;
      this.ring.show(ringFrame(view, this.ring.pixelCount, this.clock.now())).then(
        () => this.#view === view && this.#schedule(view),
        (err) => this.#view === view && this.onFailure(err),
      );
    }, 1000 / RING_FPS);
  }
}
