import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import type { WakeDetector, WakeDetectorEvents } from '../core/ports/wake-detector.ts';

/**
 * Several wake detectors behind one: every frame goes to each, every detection comes
 * out. Used to add the scripted "say the wake word" key next to the real detector.
 */
export class CompositeWakeDetector extends TypedEmitter<WakeDetectorEvents> implements WakeDetector {
  readonly #parts: WakeDetector[];
  readonly #offs: (() => void)[];

  constructor(parts: WakeDetector[]) {
    super();
    this.#parts = parts;
    this.#offs = parts.flatMap((p) => [
      p.on('detection', (d) => this.emit('detection', d)),
      p.on('error', (code, msg) => this.emit('error', code, msg)),
    ]);
  }

  push(samples: Int16Array): void {
    for (const p of this.#parts) p.push(samples);
  }

  setSuppressed(suppressed: boolean): void {
    for (const p of this.#parts) p.setSuppressed(suppressed);
  }

  reset(): void {
    for (const p of this.#parts) p.reset();
  }

  async close(): Promise<void> {
    for (const off of this.#offs) off();
    await Promise.all(this.#parts.map((p) => p.close()));
  }
}
