import { HalError } from '../../errors.ts';
import type { Clock } from '../../base/clock.ts';
import type { GpioBackend } from './digital-line.ts';
import type { ChipInfo } from './gpio-chips.ts';
import { LibgpiodBackend, type LibgpiodModule } from './libgpiod-backend.ts';
import { Libgpiod2Backend, type Libgpiod2BackendOptions } from './libgpiod2-backend.ts';
import type { Libgpiod2 } from './libgpiod2-ffi.ts';
import { KOFFI_MISSING, LIBGPIOD2_MISSING } from './load-libgpiod2.ts';

/**
 * Which libgpiod API serves a board's `libgpiod` driver. Board files name only
 * `libgpiod`; the API is the system's: v2 (libgpiod.so.3 through koffi: Debian 13 Trixie)
 * when it loads, else v1 (the node-libgpiod package: Debian 12 Bookworm). The variable
 * forces one (`v1` or `v2`); a forced API that is missing is an error, not a fallback.
 */
export const LIBGPIOD_API_ENV = 'TALLY_LIBGPIOD_API';
export const LIBGPIOD_APIS = ['auto', 'v1', 'v2'] as const;
/** Neither libgpiod.so.3 (with koffi) nor node-libgpiod could be loaded. */
export const LIBGPIOD_MISSING = 'DRIVER_LIBGPIOD_MISSING';

export interface LibgpiodLoaders {
  /** Binds libgpiod.so.3; rejects DRIVER_KOFFI_MISSING or DRIVER_LIBGPIOD2_MISSING. */
  v2(): Promise<Libgpiod2>;
  /** Loads node-libgpiod; rejects DRIVER_MISSING. */
  v1(): Promise<LibgpiodModule>;
}

export interface LibgpiodChoice {
  api: 'v1' | 'v2';
  backend: GpioBackend & { listChips(): ChipInfo[] };
  /** For `tally doctor`: which library, which version. */
  detail: string;
}

export async function chooseLibgpiod(
  where: string,
  clock: Clock,
  loaders: LibgpiodLoaders,
  requested: string | undefined,
  v2Options: Libgpiod2BackendOptions = {},
): Promise<LibgpiodChoice> {
  const want = requested || 'auto';
  if (!(LIBGPIOD_APIS as readonly string[]).includes(want)) {
    throw new HalError('INVALID_ARGUMENT', where, `${LIBGPIOD_API_ENV}="${want}" is not a libgpiod API`, { validOptions: LIBGPIOD_APIS });
  }
  const v2 = async (): Promise<LibgpiodChoice> => {
    const lib = await loaders.v2();
    return { api: 'v2', backend: new Libgpiod2Backend(lib, clock, v2Options), detail: `libgpiod ${lib.apiVersion()} (v2 API, ${lib.library} through koffi)` };
  };
  const v1 = async (): Promise<LibgpiodChoice> => ({ api: 'v1', backend: new LibgpiodBackend(await loaders.v1(), clock), detail: 'libgpiod v1 API (node-libgpiod)' });
  if (want === 'v2') return v2();
  if (want === 'v1') return v1();
  let v2Error: HalError;
  try {
    return await v2();
  } catch (e) {
    if (!(e instanceof HalError && (e.code === KOFFI_MISSING || e.code === LIBGPIOD2_MISSING))) throw e;
    v2Error = e;
  }
  try {
    return await v1();
  } catch (e) {
    if (!(e instanceof HalError && e.code === 'DRIVER_MISSING')) throw e;
    // The code names what is missing for v2 (the current OS's API); the message says both.
    const code = v2Error.code === KOFFI_MISSING ? KOFFI_MISSING : LIBGPIOD_MISSING;
    throw new HalError(
      code,
      where,
      `no libgpiod back end: ${code === KOFFI_MISSING ? 'the package koffi (for libgpiod.so.3, v2) is not installed' : 'neither libgpiod.so.3 (v2) nor node-libgpiod (v1) could be loaded'}` +
        ` — on Debian 13 / Raspberry Pi OS Trixie: sudo apt install libgpiod3, npm install koffi; on Debian 12 Bookworm: npm install node-libgpiod` +
        ` [v2: ${stripDevice(v2Error)}] [v1: ${stripDevice(e)}]`,
      { cause: new AggregateError([v2Error, e]) },
    );
  }
}

function stripDevice(e: HalError): string {
  const prefix = `${e.device}: `;
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}
