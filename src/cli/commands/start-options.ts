import { isIP } from 'node:net';
import { boardNames, loadBoard } from '../../../boards/index.ts';
import { readWavAs16kMono } from '../../../hal/base/wav.ts';
import { TallyError } from '../../../hal/base/errors.ts';
import { defaultSettings, type Settings } from '../../core/settings/schema.ts';
import { defaultDataDir } from '../../history/data-dir.ts';
import { VOICE_SERVICES } from '../../voice/create-voice-service.ts';
import { loadConfigFile } from '../config-file.ts';
import type { CliIO } from '../io.ts';
import { formatHelp, HELP_OPTION, intOption, optionNames, parseOptions, type OptionTable } from '../parse-options.ts';

const OPTIONS = {
  board: { type: 'string', value: 'NAME|FILE', help: 'the board (default sim): a name from boards/ or a board file' },
  config: { type: 'string', value: 'FILE', help: 'JSON settings for this run (validated like tally settings set)' },
  'data-dir': { type: 'string', value: 'DIR', help: 'history, mute state, keys (default $XDG_DATA_HOME/tally or ~/.local/share/tally)' },
  voice: { type: 'string', value: VOICE_SERVICES.join('|'), help: 'the voice service (default sim: a labelled simulation)' },
  'wyoming-port': { type: 'string', value: 'N', help: '--voice wyoming: TCP port (default 10700; 0 = any free port)' },
  'esphome-port': { type: 'string', value: 'N', help: '--voice esphome: TCP port (default 6053; 0 = any free port)' },
  'esphome-plaintext': { type: 'boolean', help: '--voice esphome without encryption: any client on the LAN may connect' },
  bind: { type: 'string', value: 'ADDR', help: 'address the voice-service port listens on (default all; 127.0.0.1 for a same-machine HA)' },
  'no-zeroconf': { type: 'boolean', help: 'do not announce the voice service on the LAN (mDNS); add it in HA by address' },
  wake: { type: 'string', value: 'openwakeword|scripted', help: 'wake word engine (default: scripted on the sim board without --mic-file)' },
  'no-display': { type: 'boolean', help: 'no screen bridge' },
  'display-port': { type: 'string', value: 'N', help: 'screen bridge port (default: any free port, printed at start)' },
  'no-electron': { type: 'boolean', help: 'do not open the screen in Electron (print its URL only)' },
  // The screen binds loopback; a LAN address (a screen on another machine) needs both.
  'display-host': { type: 'string', value: 'ADDR', help: 'screen bridge address (default 127.0.0.1; a LAN address needs --display-lan)' },
  'display-lan': { type: 'boolean', help: 'allow --display-host to be a non-loopback address' },
  // A kiosk reads the screen URL from this file (0640), so the token is on no command line.
  'screen-url-file': { type: 'string', value: 'FILE', help: 'also write the screen URL (with its token) to FILE, mode 0640, for a kiosk' },
  // Off by default: scanned codes stay on the device unless the owner asks for lookups.
  'online-catalog': { type: 'boolean', help: 'look scanned barcodes up on Open Food Facts (sends the code only; off by default)' },
  'mic-file': { type: 'string', value: 'WAV', help: 'sim board: play this recording into the microphone' },
  'exit-when-idle': { type: 'boolean', help: 'with --mic-file: exit when the device is idle after the file' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

export const WAKE_ENGINES = ['openwakeword', 'scripted'] as const;
export type WakeEngine = (typeof WAKE_ENGINES)[number];

export const START_HELP = formatHelp('start', OPTIONS, {
  usage: ['[--board NAME|FILE] [--voice sim|wyoming|esphome] [options]'],
  notes: ['Keys in the terminal view: a action button, m mute, w "say the wake word" (scripted), q quit.'],
});

/** Everything `tally start` was asked to do, validated. */
export interface StartPlan {
  board: Awaited<ReturnType<typeof loadBoard>>;
  settings: Settings;
  voiceName: string;
  wyomingPort: number | undefined;
  esphomePort: number | undefined;
  esphomePlaintext: boolean;
  /** --bind: the voice-service port's address; undefined = all interfaces. */
  bind: string | undefined;
  zeroconf: boolean;
  wakeEngine: WakeEngine;
  dataDir: string;
  micAudio: Int16Array | null;
  exitWhenIdle: boolean;
  display: { port: number | undefined; host: string | undefined; allowLan: boolean; electron: boolean; onlineCatalog: boolean; urlFile: string | undefined } | null;
}

/** Reads and checks every option before anything starts; null means `--help` (printed). */
export async function parseStartOptions(argv: string[], io: CliIO): Promise<StartPlan | null> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'start');
  if (values.help) {
    io.out(START_HELP);
    return null;
  }
  if (positionals.length) throw new TallyError('CLI_BAD_OPTION', `tally start takes no arguments, got "${positionals[0]}"`, { validOptions: optionNames(OPTIONS) });
  const board = await loadBoard(values.board ?? 'sim');
  const settings = values.config ? loadConfigFile(values.config, defaultSettings()) : defaultSettings();
  const voiceName = values.voice ?? 'sim';
  if (!(VOICE_SERVICES as readonly string[]).includes(voiceName)) {
    throw new TallyError('VOICE_SERVICE_UNKNOWN', `unknown voice service "${voiceName}"`, { validOptions: [...VOICE_SERVICES] });
  }
  const wyomingPort = intOption(values['wyoming-port'], 'wyoming-port', 0, 65535);
  const esphomePort = intOption(values['esphome-port'], 'esphome-port', 0, 65535);
  const esphomePlaintext = Boolean(values['esphome-plaintext']);
  if ((esphomePort !== undefined || esphomePlaintext) && voiceName !== 'esphome') {
    throw new TallyError('CLI_BAD_OPTION', '--esphome-port and --esphome-plaintext need --voice esphome', { validOptions: ['--voice esphome'] });
  }
  const bind = values.bind;
  if ((bind !== undefined || values['no-zeroconf']) && voiceName === 'sim') {
    throw new TallyError('CLI_BAD_OPTION', '--bind and --no-zeroconf are for a voice-service port: use them with --voice wyoming or esphome', { validOptions: ['--voice wyoming', '--voice esphome'] });
  }
  if (bind !== undefined && !isIP(bind)) throw new TallyError('CLI_BAD_OPTION', `--bind must be an IPv4 or IPv6 address of this machine, got "${bind}"`, { validOptions: ['127.0.0.1', '0.0.0.0', '::'] });
  const displayPort = intOption(values['display-port'], 'display-port', 0, 65535);
  const micFile = values['mic-file'];
  if (micFile && board.roles.microphone.driver !== 'sim') {
    throw new TallyError('CLI_BAD_OPTION', `--mic-file needs a board with a simulated microphone; board "${board.name}" uses ${board.roles.microphone.driver}`, { validOptions: boardNames().filter((b) => b === 'sim') });
  }
  // Any WAV is converted; say so once, so a figure from a 44.1 kHz file is not mistaken for 16 kHz.
  const micAudio = micFile
    ? readWavAs16kMono(micFile, (f) => io.err(`mic-file: ${micFile} is ${f.sampleRate} Hz, ${f.channels} channel(s), ${f.bitsPerSample}-bit: converted to 16 kHz mono 16-bit`))
    : null;
  if (values['exit-when-idle'] && !micAudio) throw new TallyError('CLI_BAD_OPTION', '--exit-when-idle needs --mic-file');
  const wakeEngine = values.wake ?? (board.roles.microphone.driver === 'sim' && !micAudio ? 'scripted' : 'openwakeword');
  if (!(WAKE_ENGINES as readonly string[]).includes(wakeEngine)) {
    throw new TallyError('CLI_BAD_OPTION', `unknown wake engine "${wakeEngine}"`, { validOptions: [...WAKE_ENGINES] });
  }
  const display = values['no-display'] ? null : { port: displayPort, host: values['display-host'], allowLan: Boolean(values['display-lan']), electron: !values['no-electron'], onlineCatalog: Boolean(values['online-catalog']), urlFile: values['screen-url-file'] };
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
  return { board, settings, voiceName, wyomingPort, esphomePort, esphomePlaintext, bind, zeroconf: !values['no-zeroconf'], wakeEngine: wakeEngine as WakeEngine, dataDir, micAudio, exitWhenIdle: Boolean(values['exit-when-idle']), display };
}
