import type { TonePlayer } from '../tone-player.ts';
import { FarEndTimeline } from '../aec/far-end-timeline.ts';

/**
 * The acoustic path from the simulated speaker into the simulated mic: a bulk delay
 * (output + capture buffering + air), a gain, and a few decaying wall reflections — a
 * small room. Linear, like the part of a real path an echo canceller can learn; a soft
 * clip at full scale stands for the loudspeaker's non-linearity when driven hard.
 */
export interface EchoPathOptions {
  /** Speaker → mic, ms. */
  delayMs: number;
  /** Direct-path gain (0.5 ≈ −6 dB). */
  gain: number;
  /** Reflections after the direct sound: [ms after it, gain relative to it]. */
  reflections: readonly (readonly [number, number])[];
}

export const DEFAULT_ECHO_PATH: EchoPathOptions = {
  delayMs: 40,
  gain: 0.5,
  // Weak next to the direct path: on a speaker the mic sits centimetres from the driver.
  reflections: [
    [3.1, -0.12],
    [7.4, 0.09],
    [12.9, -0.06],
    [21.6, 0.04],
    [34.2, -0.03],
    [52.5, 0.02],
    [77.8, 0.01],
  ],
};

const PER_MS = 16;

/** The path's impulse response as sparse taps: [delay in samples, gain]. */
export function echoTaps(p: EchoPathOptions): [number, number][] {
  const base = Math.round(p.delayMs * PER_MS);
  return [[base, p.gain], ...p.reflections.map(([ms, g]) => [base + Math.round(ms * PER_MS), p.gain * g] as [number, number])];
}

/** Offline: the echo `far` makes at the mic (same length; sample i of the result is heard at i). */
export function applyEchoPath(far: Int16Array, p: EchoPathOptions = DEFAULT_ECHO_PATH): Float32Array {
  const out = new Float32Array(far.length);
  for (const [d, g] of echoTaps(p)) for (let i = d; i < far.length; i++) out[i] += g * far[i - d]!;
  return out;
}

/** Adds `echo` to `mic` in place, clipping softly at full scale. */
export function mixEcho(mic: Int16Array, echo: Float32Array, micOffset = 0): void {
  for (let i = 0; i < echo.length; i++) mic[micOffset + i] = softClip(mic[micOffset + i]! + echo[i]!);
}

function softClip(x: number): number {
  const a = Math.abs(x);
  if (a <= 24_000) return Math.round(x);
  return Math.sign(x) * Math.round(24_000 + 8767 * Math.tanh((a - 24_000) / 8767));
}

/**
 * Live: listens to a tone player's far-end events and, for each mic frame captured at
 * `endMs`, adds what the room brings back of it.
 */
export class SimEchoPath {
  readonly options: EchoPathOptions;
  readonly #timeline = new FarEndTimeline();
  readonly #offs: (() => void)[];
  readonly #taps: [number, number][];
  readonly #span: number;
  /** Off by default: tests that check streamed audio sample for sample hear no room. */
  enabled = false;

  constructor(player: TonePlayer, options: EchoPathOptions = DEFAULT_ECHO_PATH) {
    this.options = options;
    this.#taps = echoTaps(options);
    this.#span = Math.max(...this.#taps.map(([d]) => d));
    this.#offs = [player.on('far-end', (c) => this.#timeline.write(c)), player.on('far-end-cut', (at) => this.#timeline.cut(at))];
  }

  /** Adds the echo for a frame whose last sample is captured at `endMs`. */
  mixInto(frame: Int16Array, endMs: number): void {
    if (!this.enabled) return;
    const n = frame.length;
    if (!this.#timeline.activeBetween(endMs - (n + this.#span) / PER_MS, endMs)) return;
    const far = this.#timeline.read(endMs, n + this.#span);
    const echo = new Float32Array(n);
    for (const [d, g] of this.#taps) for (let i = 0; i < n; i++) echo[i] += g * far[this.#span + i - d]!;
    mixEcho(frame, echo);
  }

  close(): void {
    for (const off of this.#offs) off();
  }
}
