import { TallyError } from './base/errors.ts';

/** Codes every HAL driver uses; drivers may add their own `DRIVER_*` codes. */
export type HalErrorCode =
  | 'DEVICE_UNAVAILABLE' // probe failed: wrong bus, missing device node, permission denied
  | 'DEVICE_WRITE_FAILED' // an output could not be written (ring frame, relay, LED, tone)
  | 'DEVICE_READ_FAILED' // an input could not be read (sense line, mic)
  | 'DEVICE_CLOSED' // used after close()
  | 'DRIVER_MISSING' // an optional native package is not installed
  | 'INVALID_ARGUMENT' // a caller passed a frame of the wrong length, a volume out of range, ...
  | 'AUDIO_FORMAT'; // audio that is not what the contract promises

export class HalError extends TallyError {
  readonly device: string;
  constructor(
    code: HalErrorCode | `DRIVER_${string}`,
    device: string,
    message: string,
    opts: { cause?: unknown; validOptions?: readonly string[] } = {},
  ) {
    super(code, `${device}: ${message}`, opts);
    this.name = 'HalError';
    this.device = device;
  }
}

/**
 * Loads an optional native package for a driver, lazily, only when a board uses it.
 * A missing package becomes DRIVER_MISSING naming the package and how to install it.
 */
export async function loadOptionalPackage<T>(pkg: string, device: string): Promise<T> {
  try {
    const mod = (await import(pkg)) as { default?: T } & T;
    return (mod.default ?? mod) as T;
  } catch (cause) {
    throw new HalError(
      'DRIVER_MISSING',
      device,
      `the optional package "${pkg}" is not installed or failed to load; install it on the device with: npm install ${pkg}`,
      { cause },
    );
  }
}
