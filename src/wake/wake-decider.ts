import { FRAME_MS } from './constants.ts';

/**
 * Turns per-frame scores into wake *events*. Trigger level 1 on raw scores (the upstream
 * `patience` check never fires, see reference §4), then a refractory period counted in
 * audio frames, so the decision is the same however fast or slow frames are processed.
 * The refractory is shared by all wake words: one utterance opens at most one stream.
 *
 * While suppressed (the device's own speaker is playing), hits are dropped but still
 * start the refractory, so a wake word that straddles the end of playback cannot fire
 * on its trailing frames.
 */
export interface WakeEvent {
  wakeWord: string;
  score: number;
  /** Frame index (80 ms each) at which the event fired. */
  frame: number;
}

export class WakeDecider {
  readonly labels: readonly string[];
  readonly thresholds: readonly number[];
  readonly refractoryFrames: number;
  suppressed = false;
  #lastHit = -Infinity;

  constructor(labels: readonly string[], thresholds: number | readonly number[], refractoryMs: number) {
    this.labels = labels;
    this.thresholds = typeof thresholds === 'number' ? labels.map(() => thresholds) : thresholds;
    this.refractoryFrames = Math.ceil(refractoryMs / FRAME_MS);
  }

  /** The event this frame fires, if any (the best-scoring word above its threshold). */
  onFrame(frame: number, scores: ArrayLike<number>): WakeEvent | undefined {
    let best = -1;
    for (let k = 0; k < this.labels.length; k++) {
      if (scores[k]! >= this.thresholds[k]! && (best < 0 || scores[k]! > scores[best]!)) best = k;
    }
    if (best < 0) return undefined;
    const inRefractory = frame - this.#lastHit < this.refractoryFrames;
    if (inRefractory && !this.suppressed) return undefined;
    this.#lastHit = frame;
    if (this.suppressed) return undefined;
    return { wakeWord: this.labels[best]!, score: scores[best]!, frame };
  }

  reset(): void {
    this.#lastHit = -Infinity;
  }
}
