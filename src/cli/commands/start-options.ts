import { boardNames, loadBoard } from '../../../boards/index.ts';
import { readWavAs16kMono } from '../../../hal/base/wav.ts';
import { TallyError } from '../../../hal/base/errors.ts';
import { defaultSettings, type Settings } from '../../core/settings/schema.ts';
import { defaultDataDir } from '../../history/data-dir.ts';
import { VOICE_SERVICES } from '../../voice/create-voice-service.ts';
import { loadConfigFile } from '../config-file.ts';
import type { CliIO } from '../io.ts';
import { intOption, parseOptions } from '../parse-options.ts';

const OPTIONS = {
  board: { type: 'string' },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  voice: { type: 'string' },
  'wyoming-port': { type: 'string' },
  'esphome-port': { type: 'string' },
  'esphome-plaintext': { type: 'boolean' },
  wake: { type: 'string' },
  'no-display': { type: 'boolean' },
  'display-port': { type: 'string' },
  'no-electron': { type: 'boolean' },
  // The screen binds loopback; a LAN address (a screen on another machine) needs both.
  'display-host': { type: 'string' },
  'display-lan': { type: 'boolean' },
  // Off by default: scanned codes stay on the device unless the owner asks for lookups.
  'online-catalog': { type: 'boolean' },
  'mic-file': { type: 'string' },
  'exit-when-idle': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export const WAKE_ENGINES = ['openwakeword', 'scripted'] as const;
export type WakeEngine = (typeof WAKE_ENGINES)[number];

export const START_HELP = `usage: tally start [--board NAME|FILE] [--config FILE] [--data-dir DIR] [--voice ${VOICE_SERVICES.join('|')}]
                   [--wyoming-port N] [--esphome-port N] [--esphome-plaintext] [--wake ${WAKE_ENGINES.join('|')}] [--no-display] [--display-port N] [--no-electron]
                   [--display-host ADDR --display-lan] [--online-catalog]
                   [--mic-file WAV] [--exit-when-idle]`;

/** Everything `tally start` was asked to do, validated. */
export interface StartPlan {
  board: Awaited<ReturnType<typeof loadBoard>>;
  settings: Settings;
  voiceName: string;
  wyomingPort: number | undefined;
  esphomePort: number | undefined;
  esphomePlaintext: boolean;
  wakeEngine: WakeEngine;
  dataDir: string;
  micAudio: Int16Array | null;
  exitWhenIdle: boolean;
  display: { port: number | undefined; host: string | undefined; allowLan: boolean; electron: boolean; onlineCatalog: boolean } | null;
}

/** Reads and checks every option before anything starts; null means `--help` (printed). */
export async function parseStartOptions(argv: string[], io: CliIO): Promise<StartPlan | null> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'start');
  if (values.help) {
    io.out(START_HELP);
    return null;
  }
  if (positionals.length) throw new TallyError('CLI_BAD_OPTION', `tally start takes no arguments, got "${positionals[0]}"`, { validOptions: Object.keys(OPTIONS).map((o) => `--${o}`) });
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
  const displayPort = intOption(values['display-port'], 'display-port', 0, 65535);
  const micFile = values['mic-file'];
  if (micFile && board.roles.microphone.driver !== 'sim') {
    throw new TallyError('CLI_BAD_OPTION', `--mic-file needs a board with a simulated microphone; board "${board.name}" uses ${board.roles.microphone.driver}`, { validOptions: boardNames().filter((b) => b === 'sim') });
  }
  const micAudio = micFile ? readWavAs16kMono(micFile) : null;
  if (values['exit-when-idle'] && !micAudio) throw new TallyError('CLI_BAD_OPTION', '--exit-when-idle needs --mic-file');
  const wakeEngine = values.wake ?? (board.roles.microphone.driver === 'sim' && !micAudio ? 'scripted' : 'openwakeword');
  if (!(WAKE_ENGINES as readonly string[]).includes(wakeEngine)) {
    throw new TallyError('CLI_BAD_OPTION', `unknown wake engine "${wakeEngine}"`, { validOptions: [...WAKE_ENGINES] });
  }
  const display = values['no-display'] ? null : { port: displayPort, host: values['display-host'], allowLan: Boolean(values['display-lan']), electron: !values['no-electron'], onlineCatalog: Boolean(values['online-catalog']) };
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
  return { board, settings, voiceName, wyomingPort, esphomePort, esphomePlaintext, wakeEngine: wakeEngine as WakeEngine, dataDir, micAudio, exitWhenIdle: Boolean(values['exit-when-idle']), display };
}
