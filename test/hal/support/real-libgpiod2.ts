import { libgpiod2Path, loadLibgpiod2 } from '../../../hal/drivers/gpio/load-libgpiod2.ts';
import type { Libgpiod2 } from '../../../hal/drivers/gpio/libgpiod2-ffi.ts';

/**
 * The system's libgpiod v2 (libgpiod.so.3), bound through koffi, for the tests that call
 * the real library: TALLY_LIBGPIOD2_PATH names the file (e.g. Debian 13's libgpiod3 .deb
 * extracted with `dpkg -x`), else the soname is looked up by the dynamic loader. Debian 12
 * (CI) has only libgpiod 1.x: those tests are skipped, and `skipReason` says why.
 */
export const REAL_LIBGPIOD2_PATH = libgpiod2Path(process.env);

export async function realLibgpiod2(): Promise<{ lib: Libgpiod2; skipReason?: undefined } | { lib?: undefined; skipReason: string }> {
  try {
    return { lib: await loadLibgpiod2('test', REAL_LIBGPIOD2_PATH) };
  } catch (e) {
    return { skipReason: `libgpiod v2 not available (${(e as Error).message}); set TALLY_LIBGPIOD2_PATH to a libgpiod.so.3` };
  }
}
