import { readFileSync } from 'node:fs';
import { formatError } from '../../hal/base/errors.ts';
import { processIO, type CliIO, type CommandModule } from './io.ts';

/**
 * `tally <command>`. Each command lives in its own module under commands/, loaded only
 * when used, so `tally history` never loads audio drivers and `tally start` never
 * loads the history CLI.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  start: { summary: 'run the device (--board sim by default)', load: () => import('./commands/start.ts') },
  doctor: { summary: 'check a board\'s hardware: per role works / missing / how to fix', load: () => import('./commands/doctor.ts') },
  history: { summary: 'review, play, delete and export voice history (list|play|delete|export)', load: () => import('./commands/history.ts') },
  settings: { summary: 'read or change persisted settings (get|set)', load: () => import('./commands/settings.ts') },
  'wake-eval': { summary: 'measure a wake word model: miss rate, false accepts/hour, speed', load: () => import('./commands/wake-eval.ts') },
  keys: { summary: 'make (init) or print (show NAME) the device keys made on the device at first boot', load: () => import('./commands/keys.ts') },
  pair: { summary: 'show, reset (--reset) or pin (--host) the Home Assistant this satellite serves', load: () => import('./commands/pair.ts') },
};

export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return [
    'usage: tally <command> [options]',
    '       tally <command> --help   options of one command',
    '       tally --version',
    '',
    'commands:',
    ...lines,
  ].join('\n');
}

/** The version in package.json: the one place it is written. */
export function tallyVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`tally ${tallyVersion()}`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`error CLI_UNKNOWN_COMMAND: unknown command "${name}" (valid: ${commandNames().join(', ')})`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest, io);
  } catch (e) {
    io.err(formatError(e));
    return 1;
  }
}
