/**
 * A USB barcode scanner types the code as fast keystrokes ending in Enter (a "keyboard
 * wedge"). People type far slower, so a burst of printable keys each within `maxGapMs` of
 * the last, at least `minLength` long, ended by Enter, is a scan; anything else is typing.
 */
export class WedgeDecoder {
  #buffer = '';
  #last = -Infinity;
  constructor(private readonly opts: { maxGapMs?: number; minLength?: number } = {}) {}

  /** Feeds one key; returns the scanned code when this key completes a scan. */
  key(key: string, at: number): string | null {
    const gap = at - this.#last;
    this.#last = at;
    const maxGap = this.opts.maxGapMs ?? 50;
    if (key === 'Enter') {
      const code = this.#buffer;
      this.#buffer = '';
      return gap <= maxGap && code.length >= (this.opts.minLength ?? 4) ? code : null;
    }
    if (key.length !== 1) {
      this.#buffer = '';
      return null;
    }
    this.#buffer = gap <= maxGap ? this.#buffer + key : key;
    if (this.#buffer.length > 128) this.#buffer = '';
    return null;
  }
}
