import type { TonePlayer } from '../../../hal/tone-player.ts';
import type { EchoCancel } from '../ports/echo-cancel.ts';
import type { WakeDetector } from '../ports/wake-detector.ts';

/**
 * The self-wake guard: the device's own sound must never wake it. While the speaker
 * plays, wake detections are dropped — unless an echo canceller is running and has
 * converged, in which case the wake word listens to the cancelled signal (barge-in).
 * Capture never stops (invariant 6). `update()` runs on every tone start/end and on
 * every frame (convergence can arrive mid-reply).
 */
export class SelfWakeGuard {
  readonly #wake: WakeDetector;
  readonly #tones: TonePlayer;
  readonly #echo: EchoCancel | undefined;
  #suppressed = false;
  /** From the player's events: `playing` may not be set yet while `start` is emitted. */
  #playing = false;

  constructor(wake: WakeDetector, tones: TonePlayer, echo: EchoCancel | undefined) {
    this.#wake = wake;
    this.#tones = tones;
    this.#echo = echo;
  }

  get suppressed(): boolean {
    return this.#suppressed;
  }

  /** Subscribes to the player; returns unsubscribe. */
  start(): () => void {
    const offs = [
      this.#tones.on('start', () => {
        this.#playing = true;
        this.update();
      }),
      this.#tones.on('end', () => {
        this.#playing = this.#tones.playing;
        this.update();
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  update(): void {
    const suppress = this.#playing && !(this.#echo?.converged ?? false);
    if (suppress === this.#suppressed) return;
    this.#suppressed = suppress;
    this.#wake.setSuppressed(suppress);
  }
}
