import { HalError, type HalErrorCode } from '../errors.ts';

/**
 * Scriptable failure for a simulated device: fail the next N calls, or every call
 * until cleared. Each simulated driver owns one.
 */
export class SimFault {
  #failNext = 0;
  #failAlways = false;
  #code: HalErrorCode = 'DEVICE_WRITE_FAILED';

  failNext(count = 1, code: HalErrorCode = 'DEVICE_WRITE_FAILED'): void {
    this.#failNext = count;
    this.#code = code;
  }

  failAlways(on: boolean, code: HalErrorCode = 'DEVICE_WRITE_FAILED'): void {
    this.#failAlways = on;
    this.#code = code;
  }

  get failing(): boolean {
    return this.#failAlways || this.#failNext > 0;
  }

  /** Throws the scripted error if this call should fail. */
  check(device: string, what: string): void {
    if (this.#failAlways || this.#failNext > 0) {
      if (this.#failNext > 0) this.#failNext--;
      throw new HalError(this.#code, device, `simulated failure: ${what}`);
    }
  }
}
