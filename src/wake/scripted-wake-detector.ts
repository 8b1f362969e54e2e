import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import type { WakeDetector, WakeDetectorEvents } from '../core/ports/wake-detector.ts';

/**
 * A wake detector driven by a script: `trigger()` reports a detection as if the wake
 * word had just been heard ("say the wake word" key in the terminal view, tests).
 * It honours suppression and only fires while it is being fed audio (i.e. the mic is
 * live), so it cannot wake a muted device any more than a real detector could.
 */
export class ScriptedWakeDetector extends TypedEmitter<WakeDetectorEvents> implements WakeDetector {
  #suppressed = false;
  #fedSinceReset = 0;
  #closed = false;
  readonly wakeWord: string;

  constructor(wakeWord = 'alexa') {
    super();
    this.wakeWord = wakeWord;
  }

  push(samples: Int16Array): void {
    this.#fedSinceReset += samples.length;
  }

  /** Has the detector heard any audio since its last reset? */
  get live(): boolean {
    return this.#fedSinceReset > 0;
  }

  trigger(score = 0.99): boolean {
    if (this.#closed || this.#suppressed || !this.live) return false;
    this.emit('detection', { wakeWord: this.wakeWord, score });
    return true;
  }

  setSuppressed(suppressed: boolean): void {
    this.#suppressed = suppressed;
  }

  reset(): void {
    this.#fedSinceReset = 0;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
