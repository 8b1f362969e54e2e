import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../hal/base/clock.ts';

/** How long a launch link stays valid: long enough for a browser to start on a Pi 3. */
export const LAUNCH_CODE_TTL_MS = 60_000;

/**
 * One-time launch links for a browser the device starts itself (kiosk, no Electron): the
 * command line of a process is readable by every local user (`ps`), so it carries a code
 * that works once, within a minute, instead of the screen token. Redeeming the code sends
 * the browser on to the real URL.
 */
export class LaunchCodes {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #codes = new Map<string, number>();

  constructor(clock: Clock, ttlMs = LAUNCH_CODE_TTL_MS) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  issue(): string {
    this.#sweep();
    const code = randomBytes(16).toString('base64url');
    this.#codes.set(code, this.#clock.now() + this.#ttlMs);
    return code;
  }

  /** True once per issued code, before it expires; every other call is false. */
  redeem(code: string | null): boolean {
    this.#sweep();
    if (!code) return false;
    for (const [known, expires] of this.#codes) {
      const a = Buffer.from(known);
      const b = Buffer.from(code);
      if (a.length === b.length && timingSafeEqual(a, b)) {
        this.#codes.delete(known);
        return expires > this.#clock.now();
      }
    }
    return false;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [code, expires] of this.#codes) if (expires <= now) this.#codes.delete(code);
  }
}
