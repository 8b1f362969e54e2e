import { parseArgs } from 'node:util';
import { TallyError } from '../../hal/base/errors.ts';

/**
 * One table per command: node:util parseArgs reads `type`, `--help` is printed from
 * `value` + `help`, so an option cannot exist without being documented (and vice versa).
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The placeholder shown in help: `--port N`. Only for string options. */
  value?: string;
  help: string;
}
export type OptionTable = Record<string, OptionSpec>;

/** What `tally <command> --help` prints: synopsis lines, the option table, then notes. */
export interface CommandHelp {
  usage: string[];
  notes?: string[];
}

/** Every command accepts --help; adding it here keeps each table about its own options. */
export const HELP_OPTION = { help: { type: 'boolean', help: 'print this help and exit' } } as const satisfies OptionTable;

/**
 * node:util parseArgs with Tally's errors: an unknown or malformed option becomes
 * CLI_BAD_OPTION naming every valid option.
 */
export function parseOptions<T extends OptionTable>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new TallyError('CLI_BAD_OPTION', `tally ${command}: ${(e as Error).message.split('\n')[0]}`, {
      validOptions: optionNames(options),
    });
  }
}

export function optionNames(options: OptionTable): string[] {
  return Object.keys(options).map((o) => `--${o}`);
}

/** `tally <command> --help`, generated from the command's option table. */
export function formatHelp(command: string, options: OptionTable, help: CommandHelp): string {
  const flags = Object.entries(options).map(([name, o]) => `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`);
  const width = Math.min(30, Math.max(...flags.map((f) => f.length)));
  const rows = Object.values(options).map((o, i) => `  ${flags[i]!.padEnd(width)}  ${o.help}`);
  const usage = help.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}tally ${command}${u ? ` ${u}` : ''}`);
  return [...usage, '', 'options:', ...rows, ...(help.notes?.length ? ['', ...help.notes] : [])].join('\n');
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
