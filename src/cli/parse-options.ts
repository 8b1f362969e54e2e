import { parseArgs, type ParseArgsConfig } from 'node:util';
import { TallyError } from '../../hal/base/errors.ts';

/**
 * node:util parseArgs with Tally's errors: an unknown or malformed option becomes
 * CLI_BAD_OPTION naming every valid option.
 */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new TallyError('CLI_BAD_OPTION', `tally ${command}: ${(e as Error).message.split('\n')[0]}`, {
      validOptions: Object.keys(options).map((o) => `--${o}`),
    });
  }
}

/** A whole number option within a range, or CLI_BAD_OPTION. */
export function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new TallyError('CLI_BAD_OPTION', `--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
