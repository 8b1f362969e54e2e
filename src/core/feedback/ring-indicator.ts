import type { LightRing, RingFrame } from '../../../hal/light-ring.ts';
import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';
import type { AttentionState, AttentionView } from '../attention/types.ts';
import type { IndicatorSink } from '../ports/indicator-sink.ts';
import { isAnimated, ringFrame } from './ring-patterns.ts';

export const RING_FPS = 30;
const FRAME_MS = 1000 / RING_FPS;
/** How far ahead the loop looks for the pattern's next change before sleeping that long and looking again. */
export const RING_LOOKAHEAD_MS = 1000;
/**
 * The offline spin runs at full speed this long after the device goes offline, then
 * crawls (one step every OFFLINE_CRAWL_STEP_MS): still visibly "not connected", without
 * spending CPU on an unreachable service for hours (the screen keeps its banner).
 */
export const OFFLINE_FAST_SPIN_MS = 10_000;
export const OFFLINE_CRAWL_STEP_MS = 3000;
/** The offline pattern steps every 80 ms (ring-patterns.ts). */
const OFFLINE_CRAWL_SLOWDOWN = OFFLINE_CRAWL_STEP_MS / 80;
const NIGHT_BRIGHTNESS = 0.15;

/**
 * Shows the attention state on the light ring. `render` resolves once the first frame of
 * the new state is latched (the acknowledgement). Animated states are drawn only when
 * their pattern changes: after each frame the loop looks ahead on the 30 fps grid for the
 * first instant whose frame differs and sleeps until then (a thinking ring draws 4 frames
 * a second, not 30; a settled offline ring one every 3 s). A failed animation frame is reported
 * through `onFailure`. Night mode dims everything except the mute and listening indicators.
 */
export class RingIndicator implements IndicatorSink {
  readonly name = 'ring';
  #timer: TimerHandle | undefined;
  #view: AttentionView | null = null;
  #brightness: number | null = null;
  #state: AttentionState | null = null;
  #stateSince = 0;
  /** Frames written to the ring (for the bench and tests). */
  framesShown = 0;

  constructor(
    private readonly ring: LightRing,
    private readonly clock: Clock,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  async render(view: AttentionView): Promise<void> {
    this.#view = view;
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = this.clock.now();
    if (view.state !== this.#state) (this.#state = view.state), (this.#stateSince = now);
    const dim = view.night && !['listening', 'follow-up', 'muted'].includes(view.state);
    const brightness = dim ? NIGHT_BRIGHTNESS : 1;
    if (brightness !== this.#brightness) {
      await this.ring.setBrightness(brightness);
      this.#brightness = brightness;
    }
    const frame = this.#frameAt(view, now);
    await this.#show(frame);
    if (isAnimated(view) && this.#view === view) this.#scheduleNextChange(view, frame, now);
  }

  stop(): void {
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#view = null;
  }

  #show(frame: RingFrame): Promise<void> {
    this.framesShown++;
    return this.ring.show(frame);
  }

  /** The pattern's own time: real time, except that a long offline spin slows to a crawl. */
  #frameAt(view: AttentionView, t: number): RingFrame {
    const fastUntil = this.#stateSince + OFFLINE_FAST_SPIN_MS;
    const patternT = view.state === 'offline' && t > fastUntil ? fastUntil + (t - fastUntil) / OFFLINE_CRAWL_SLOWDOWN : t;
    return ringFrame(view, this.ring.pixelCount, patternT);
  }

  /** Sleeps until the first 30 fps slot whose frame differs from `shown` (or the look-ahead, then looks again). */
  #scheduleNextChange(view: AttentionView, shown: RingFrame, shownAt: number): void {
    let at = shownAt + FRAME_MS;
    let next: RingFrame | null = null;
    for (; at <= shownAt + RING_LOOKAHEAD_MS; at += FRAME_MS) {
      const candidate = this.#frameAt(view, at);
      if (!sameFrame(candidate, shown)) {
        next = candidate;
        break;
      }
    }
    const wakeAt = Math.min(at, shownAt + RING_LOOKAHEAD_MS);
    this.#timer = this.clock.setTimeout(() => {
      if (this.#view !== view) return;
      const now = this.clock.now();
      const frame = next ? this.#frameAt(view, now) : shown;
      if (!next || sameFrame(frame, shown)) return this.#scheduleNextChange(view, shown, now);
      this.#show(frame).then(
        () => this.#view === view && this.#scheduleNextChange(view, frame, now),
        (err) => this.#view === view && this.onFailure(err),
      );
    }, Math.max(0, wakeAt - this.clock.now()));
  }
}

function sameFrame(a: RingFrame, b: RingFrame): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p[0] !== q[0] || p[1] !== q[1] || p[2] !== q[2]) return false;
  }
  return true;
}
