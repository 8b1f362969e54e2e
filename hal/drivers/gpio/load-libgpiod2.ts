import { HalError } from '../../errors.ts';
import { bindLibgpiod2, type Koffi, type Libgpiod2 } from './libgpiod2-ffi.ts';

/** Where libgpiod v2 is loaded from: this variable, else the soname (the dynamic loader's search path). */
export const LIBGPIOD2_PATH_ENV = 'TALLY_LIBGPIOD2_PATH';
export const LIBGPIOD2_DEFAULT = 'libgpiod.so.3';

/** koffi (the optional FFI package) is not installed. */
export const KOFFI_MISSING = 'DRIVER_KOFFI_MISSING';
/** libgpiod.so.3 (Debian's libgpiod3) is not there, or is not libgpiod v2. */
export const LIBGPIOD2_MISSING = 'DRIVER_LIBGPIOD2_MISSING';

const cache = new Map<string, Promise<Libgpiod2>>();

export function libgpiod2Path(env: NodeJS.ProcessEnv = process.env): string {
  return env[LIBGPIOD2_PATH_ENV] || LIBGPIOD2_DEFAULT;
}

/**
 * Loads koffi and binds libgpiod v2, lazily and once per library path. Rejects with a
 * HalError whose code says which of the two is missing.
 */
export function loadLibgpiod2(device: string, library = libgpiod2Path()): Promise<Libgpiod2> {
  let bound = cache.get(library);
  if (!bound) {
    bound = bind(device, library);
    cache.set(library, bound);
    // A failure is not cached: the package or library may be installed while we run.
    bound.catch(() => cache.delete(library));
  }
  return bound;
}

async function bind(device: string, library: string): Promise<Libgpiod2> {
  let koffi: Koffi;
  try {
    const mod = (await import('koffi')) as { default?: unknown };
    koffi = (mod.default ?? mod) as Koffi;
  } catch (cause) {
    throw new HalError(KOFFI_MISSING, device, 'libgpiod v2 is called through the optional package "koffi", which is not installed; install it on the device with: npm install koffi', { cause });
  }
  try {
    return bindLibgpiod2(koffi, library);
  } catch (cause) {
    throw new HalError(
      LIBGPIOD2_MISSING,
      device,
      `${library} (libgpiod v2) could not be loaded: ${(cause as Error).message} (on Debian 13 / Raspberry Pi OS Trixie: sudo apt install libgpiod3)`,
      { cause },
    );
  }
}
