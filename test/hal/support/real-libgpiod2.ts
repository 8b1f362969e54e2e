import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { libgpiod2Path } from '../../../hal/drivers/gpio/load-libgpiod2.ts';

/**
 * The system's libgpiod v2 (libgpiod.so.3) for the tests that call the real library:
 * TALLY_LIBGPIOD2_PATH names the file (e.g. Debian 13's libgpiod3 .deb extracted with
 * `dpkg -x`), else the soname is looked up by the dynamic loader. Debian 12 (CI) has only
 * libgpiod 1.x: without the variable and without the soname those tests are skipped, and
 * `skipReason` says why. With the variable set they always run: a library that is named
 * but does not load or bind is a failure, not a skip.
 */
export const REAL_LIBGPIOD2_PATH = libgpiod2Path(process.env);

function findReal(): string | undefined {
  if (process.env.TALLY_LIBGPIOD2_PATH) return undefined;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): unknown };
    koffi.load(REAL_LIBGPIOD2_PATH);
    return undefined;
  } catch (e) {
    return `${REAL_LIBGPIOD2_PATH} does not load here (${(e as Error).message}; Debian 12 has libgpiod 1.x only): set TALLY_LIBGPIOD2_PATH to a libgpiod.so.3`;
  }
}

export const realLibgpiod2SkipReason = findReal();

/**
 * libgpiod 2.x's gpiod.h, to check the binding's signatures and enum values against:
 * TALLY_LIBGPIOD2_HEADER, else the libgpiod-dev layout next to TALLY_LIBGPIOD2_PATH
 * (`dpkg -x` of libgpiod3 and libgpiod-dev into one directory), else /usr/include/gpiod.h
 * when it is the v2 header. Undefined when none is found.
 */
export function libgpiod2Header(): string | undefined {
  const candidates = [
    process.env.TALLY_LIBGPIOD2_HEADER,
    process.env.TALLY_LIBGPIOD2_PATH ? join(dirname(process.env.TALLY_LIBGPIOD2_PATH), '..', '..', 'include', 'gpiod.h') : undefined,
    '/usr/include/gpiod.h',
  ];
  for (const c of candidates) {
    if (!c || !existsSync(c)) continue;
    const text = readFileSync(c, 'utf8');
    if (text.includes('gpiod_chip_request_lines')) return text;
    if (c === process.env.TALLY_LIBGPIOD2_HEADER) throw new Error(`${c} is not libgpiod 2.x's gpiod.h`);
  }
  return undefined;
}
