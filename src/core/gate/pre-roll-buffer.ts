/**
 * The pre-roll ring buffer: the only audio the device holds while idle, in RAM only.
 * Its capacity is exactly the configured pre-roll, so it can never hold more than the
 * stream will start with (invariant 5).
 */
export class PreRollBuffer {
  #buf: Int16Array;
  #write = 0;
  #filled = 0;

  constructor(capacitySamples: number) {
    if (!Number.isInteger(capacitySamples) || capacitySamples < 0) throw new RangeError(`bad pre-roll capacity ${capacitySamples}`);
    this.#buf = new Int16Array(capacitySamples);
  }

  get capacity(): number {
    return this.#buf.length;
  }

  /** Samples currently held (≤ capacity). */
  get length(): number {
    return this.#filled;
  }

  /** Changes the capacity (settings change); keeps the newest samples that still fit. */
  resize(capacitySamples: number): void {
    // Stryker disable next-line MethodExpression: equivalent (docs/mutation.md) — a longer `keep` is cut to the newest `capacity` by push.
    const keep = this.snapshot().subarray(Math.max(0, this.#filled - capacitySamples));
    this.#buf = new Int16Array(capacitySamples);
    this.#write = 0;
    this.#filled = 0;
    this.push(keep);
  }

  push(samples: Int16Array): void {
    const cap = this.#buf.length;
    // Stryker disable next-line ConditionalExpression: equivalent (docs/mutation.md) — with capacity 0 nothing is stored or returned either way.
    if (cap === 0) return;
    // Only the newest `cap` samples can survive.
    // Stryker disable next-line EqualityOperator: equivalent (docs/mutation.md) — at equality subarray(0) is the whole array.
    const src = samples.length > cap ? samples.subarray(samples.length - cap) : samples;
    const first = Math.min(src.length, cap - this.#write);
    this.#buf.set(src.subarray(0, first), this.#write);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (docs/mutation.md) — the wrap-around copy is then empty.
    if (first < src.length) this.#buf.set(src.subarray(first), 0);
    this.#write = (this.#write + src.length) % cap;
    this.#filled = Math.min(cap, this.#filled + src.length);
  }

  /** A copy of the held audio, oldest first. */
  snapshot(): Int16Array {
    const cap = this.#buf.length;
    const out = new Int16Array(this.#filled);
    const start = (this.#write - this.#filled + cap) % (cap || 1);
    const first = Math.min(this.#filled, cap - start);
    out.set(this.#buf.subarray(start, start + first));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (docs/mutation.md) — the second copy is then empty.
    if (first < this.#filled) out.set(this.#buf.subarray(0, this.#filled - first), first);
    return out;
  }

  /** Forgets everything and zeroes the memory (on mute: nothing lingers in RAM). */
  clear(): void {
    this.#buf.fill(0);
    this.#write = 0;
    this.#filled = 0;
  }
}
