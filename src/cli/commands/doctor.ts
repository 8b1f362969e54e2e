import { loadBoard } from '../../../boards/index.ts';
import { muteKind } from '../../../boards/mute-kind.ts';
import { probeBoard, systemProbeEnv, type ProbeEnv } from '../../../hal/drivers/probe.ts';
import { DRIVER_EXTRA_PACKAGES, DRIVER_PACKAGES } from '../../../hal/drivers/index.ts';
import { TallyError } from '../../../hal/base/errors.ts';
import { probeEcho } from '../../../hal/aec/probe-echo.ts';
import type { CliIO } from '../io.ts';
import { formatHelp, HELP_OPTION, optionNames, parseOptions, type OptionTable } from '../parse-options.ts';
import { FileMuteStore } from '../../core/mute/mute-store.ts';
import { defaultDataDir } from '../../history/data-dir.ts';

const OPTIONS = {
  board: { type: 'string', value: 'NAME|FILE', help: 'the board to check (default sim): a name from boards/ or a board file' },
  'data-dir': { type: 'string', value: 'DIR', help: 'the device\'s data dir, for the mute file check (default $XDG_DATA_HOME/tally or ~/.local/share/tally)' },
  json: { type: 'boolean', help: 'one JSON object: board, usable, mute, roles' },
  packages: { type: 'boolean', help: 'only print the optional npm packages the board\'s drivers need (deploy/install.sh)' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

const HELP = formatHelp('doctor', OPTIONS, {
  usage: ['[--board NAME|FILE] [--json] [--packages]'],
  notes: ['Probes each role of the board (driver package, device node, permissions, ALSA device)', 'and prints per role: works / missing / how to fix. Exit code 0 iff the board is usable.'],
});

/** `tally doctor --board NAME`: can this machine run this board? */
export async function run(argv: string[], io: CliIO, env: ProbeEnv = systemProbeEnv(Boolean(io.stdin.isTTY), io.env)): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'doctor');
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (positionals.length) throw new TallyError('CLI_BAD_OPTION', `tally doctor takes no arguments, got "${positionals[0]}"`, { validOptions: optionNames(OPTIONS) });
  const board = await loadBoard(values.board ?? 'sim');
  if (values.packages) {
    io.out(boardPackages(board.roles).join(' '));
    return 0;
  }
  const probes = await probeBoard(board, env);
  const usable = probes.every((p) => p.status === 'works');
  const mute = muteKind(board);
  // A corrupt mute file makes the device start muted: say so, with why.
  const muteFile = new FileMuteStore(values['data-dir'] ?? defaultDataDir(io.env)).load();
  const muteState = muteFile.problem ? { muted: true, problem: muteFile.problem.code, detail: muteFile.problem.message } : { muted: muteFile.muted, problem: null };
  const echo = board.roles.tones ? await probeEcho(board.aec, env.listAudioSources ? { listSources: env.listAudioSources } : {}) : null;
  if (values.json) {
    io.out(JSON.stringify({ board: board.name, usable, mute, muteState, roles: probes, echo }));
    return usable ? 0 : 1;
  }
  io.out(`board ${board.name}: ${board.description}`);
  for (const p of probes) {
    io.out(`  ${p.role.padEnd(13)} ${p.driver.padEnd(11)} ${p.status.padEnd(8)} ${p.detail}`);
    if (p.fix) io.out(`  ${''.padEnd(13)} ${''.padEnd(11)} ${'fix:'.padEnd(8)} ${p.fix}`);
  }
  if (echo) {
    io.out(`  ${'echo cancel'.padEnd(13)} ${echo.canceller.padEnd(11)} ${echo.status.padEnd(8)} ${echo.detail}`);
    if (echo.fix) io.out(`  ${''.padEnd(13)} ${''.padEnd(11)} ${'fix:'.padEnd(8)} ${echo.fix}`);
    if (echo.systemEchoCancelSource) io.out(`  ${''.padEnd(13)} ${''.padEnd(11)} ${'note:'.padEnd(8)} PipeWire/PulseAudio echo-cancel source "${echo.systemEchoCancelSource}" found: capture from it and set the board's aec.canceller to "none" to use it instead`);
  }
  io.out(mute === 'hardware' ? '  mute: hardware (relay cuts the microphone power)' : '  mute: software-only (no relay: capture stops, the microphone stays powered)');
  if (muteState.problem) io.out(`  mute state: ${muteState.problem} — ${muteState.detail}; the device starts MUTED until you unmute it`);
  else io.out(`  mute state: ${muteState.muted ? 'muted' : 'not muted'} (saved)`);
  const bad = probes.filter((p) => p.status !== 'works').length;
  io.out(usable ? `board ${board.name} is usable` : `board ${board.name} is NOT usable: ${bad} role${bad === 1 ? '' : 's'} missing`);
  return usable ? 0 : 1;
}

/** The optional driver packages a board's roles need, each once, sorted. */
export function boardPackages(roles: Record<string, { driver: string } | undefined>): string[] {
  const pkgs = Object.values(roles).flatMap((r) => (r ? [DRIVER_PACKAGES[r.driver], ...(DRIVER_EXTRA_PACKAGES[r.driver] ?? [])] : []));
  return [...new Set(pkgs.filter((p): p is string => Boolean(p)))].sort();
}
