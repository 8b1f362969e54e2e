import { isIP } from 'node:net';
import { systemProbeEnv } from '../../../hal/drivers/probe.ts';
import { assertAudioRolesWork } from '../audio-preflight.ts';
import { boardNames, loadBoard } from '../../../boards/index.ts';
import { createDevices } from '../../../hal/create-devices.ts';
import { startRoomTone } from '../../../hal/sim/room-tone.ts';
import { SystemClock } from '../../../hal/base/clock.ts';
import { TallyDevice } from '../../core/device.ts';
import { TallyError } from '../../../hal/base/errors.ts';
import { attachHistory } from '../../history/attach-history.ts';
import { attachPrivacyVoiceCommands } from '../../history/privacy-voice-commands.ts';
import { defaultDataDir } from '../../history/data-dir.ts';
import { HistoryStore } from '../../history/history-store.ts';
import { FileMuteStore } from '../../core/mute/mute-store.ts';
import { loadConfigFile } from '../config-file.ts';
import { defaultSettings } from '../../core/settings/schema.ts';
import { readWavAs16kMono } from '../../../hal/base/wav.ts';
import { createVoiceService, VOICE_SERVICES } from '../../voice/create-voice-service.ts';
import { CompositeWakeDetector } from '../../wake/composite-wake-detector.ts';
import { ScriptedWakeDetector } from '../../wake/scripted-wake-detector.ts';
import type { EndpointDetector, WakeDetector } from '../../core/ports/wake-detector.ts';
import type { CliIO } from '../io.ts';
import { bindEsphomeControls } from '../esphome-controls.ts';
import { formatHelp, HELP_OPTION, intOption, optionNames, parseOptions, type OptionTable } from '../parse-options.ts';
import { startTerminalView } from '../terminal-view.ts';
import { waitUntilIdle } from '../wait-until-idle.ts';

const OPTIONS = {
  board: { type: 'string', value: 'NAME|FILE', help: 'the board (default sim): a name from boards/ or a board file' },
  config: { type: 'string', value: 'FILE', help: 'JSON settings for this run (validated like tally settings set)' },
  'data-dir': { type: 'string', value: 'DIR', help: 'history, mute state, keys (default $XDG_DATA_HOME/tally or ~/.local/share/tally)' },
  voice: { type: 'string', value: VOICE_SERVICES.join('|'), help: 'the voice service (default sim: a labelled simulation)' },
  'wyoming-port': { type: 'string', value: 'N', help: '--voice wyoming: TCP port (default 10700; 0 = any free port)' },
  'esphome-port': { type: 'string', value: 'N', help: '--voice esphome: TCP port (default 6053; 0 = any free port)' },
  'esphome-plaintext': { type: 'boolean', help: '--voice esphome without encryption: any client on the LAN may connect' },
  bind: { type: 'string', value: 'ADDR', help: 'address the voice-service port listens on (default 0.0.0.0; 127.0.0.1 for a same-machine HA)' },
  'no-zeroconf': { type: 'boolean', help: 'do not announce the voice service on the LAN (mDNS); add it in HA by address' },
  wake: { type: 'string', value: 'openwakeword|scripted', help: 'wake word engine (default: scripted on the sim board without --mic-file)' },
  'no-display': { type: 'boolean', help: 'no screen bridge' },
  'display-port': { type: 'string', value: 'N', help: 'screen bridge port (default: any free port, printed at start)' },
  'no-electron': { type: 'boolean', help: 'do not open the screen in Electron (print its URL only)' },
  // The screen binds loopback; a LAN address (a screen on another machine) needs both.
  'display-host': { type: 'string', value: 'ADDR', help: 'screen bridge address (default 127.0.0.1; a LAN address needs --display-lan)' },
  'display-lan': { type: 'boolean', help: 'allow --display-host to be a non-loopback address' },
  'mic-file': { type: 'string', value: 'WAV', help: 'sim board: play this recording into the microphone' },
  'exit-when-idle': { type: 'boolean', help: 'with --mic-file: exit when the device is idle after the file' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

export const WAKE_ENGINES = ['openwakeword', 'scripted'] as const;

const HELP = formatHelp('start', OPTIONS, {
  usage: ['[--board NAME|FILE] [--voice sim|wyoming|esphome] [options]'],
  notes: ['Keys in the terminal view: a action button, m mute, w "say the wake word" (scripted), q quit.'],
});

/** Everything is validated before anything starts: a bad option leaves nothing half-started. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'start');
  if (values.help) {
    io.out(HELP);
    return 0;
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
  if ((esphomePort !== undefined || values['esphome-plaintext']) && voiceName !== 'esphome') {
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
  const micAudio = micFile ? readWavAs16kMono(micFile) : null;
  if (values['exit-when-idle'] && !micAudio) throw new TallyError('CLI_BAD_OPTION', '--exit-when-idle needs --mic-file');
  const wakeEngine = values.wake ?? (board.roles.microphone.driver === 'sim' && !micAudio ? 'scripted' : 'openwakeword');
  if (!(WAKE_ENGINES as readonly string[]).includes(wakeEngine)) {
    throw new TallyError('CLI_BAD_OPTION', `unknown wake engine "${wakeEngine}"`, { validOptions: [...WAKE_ENGINES] });
  }
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);

  // Before any driver loads: a missing sound card aborts the process inside ALSA otherwise.
  await assertAudioRolesWork(board, systemProbeEnv(Boolean(io.stdin.isTTY), io.env));
  const clock = new SystemClock();
  // Opened before any device: a refused (corrupt / newer) history stops start with its error.
  const history = HistoryStore.open({ dataDir, clock });
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn();
    cleanups.length = 0;
  };
  const { devices, sim } = await createDevices(board, { clock, inputKeys: io.stdin });
  let device: TallyDevice;
  const scripted = new ScriptedWakeDetector(settings.wakeWords[0]);
  try {
    const voice = await createVoiceService(voiceName, {
      clock, dataDir, settings, log: (line) => io.err(line),
      ...(wyomingPort !== undefined ? { wyomingPort } : {}),
      ...(esphomePort !== undefined ? { esphomePort } : {}),
      ...(values['esphome-plaintext'] ? { esphomePlaintext: true } : {}),
      ...(bind !== undefined ? { bind } : {}),
      ...(values['no-zeroconf'] ? { zeroconf: false } : {}),
    });
    let wake: WakeDetector = scripted;
    let endpoint: EndpointDetector | undefined;
    if (wakeEngine === 'openwakeword') {
      const { createWakeDetector, createEndpointDetector } = await import('../../wake/create-wake-detector.ts');
      const real = await createWakeDetector({ wakeWords: settings.wakeWords, sensitivity: settings.sensitivity, refractoryMs: settings.refractoryMs });
      cleanups.push(() => real.close());
      wake = new CompositeWakeDetector([real, scripted]);
      const vad = await createEndpointDetector({ endOfSpeechSilenceMs: settings.endOfSpeechSilenceMs });
      cleanups.push(() => vad.close());
      endpoint = vad;
    }
    device = new TallyDevice({ boardName: board.name, devices, clock, settings, voice, muteStore: new FileMuteStore(dataDir), wake, ...(endpoint ? { endpoint } : {}) });
    // Detector closes stay registered (they are idempotent): a start that fails after this
    // point must not leave a worker thread running.
    // Ledger + recordings into the store, persisted settings onto the device, retention daily.
    const detachHistory = attachHistory(device, history, { onProblem: (code, msg) => io.err(`history: ${code}: ${msg}`) });
    // "Delete what I just said / everything I said today / everything I said", from the transcript.
    const detachVoiceDeletion = attachPrivacyVoiceCommands(device, history, {
      onExecuted: (c, _id, n) => io.out(`history: deleted by voice (${c.kind})${n === null ? '' : `: ${n} recording(s)`}`),
      onFailed: (c, code) => io.err(`history: ${code}: voice deletion (${c.kind}) failed`),
    });
    cleanups.push(async () => {
      detachVoiceDeletion();
      detachHistory();
      await history.close();
    });
    cleanups.push(() => device.stop());
    // HA's ESPHome entities (mute, volume, follow-up, privacy sensor) read and ask the device.
    const unbindEsphome = bindEsphomeControls(voice, device);
    if (unbindEsphome) cleanups.push(unbindEsphome);
    await device.start();
  } catch (e) {
    await cleanup();
    await devices.close();
    await history.close();
    throw e;
  }
  if (!values['no-display']) {
    // The screen: prints `screen: <url-with-token>`; opens Electron when installed.
    try {
      const { startScreen } = await import('../screen/start-screen.ts');
      const screen = await startScreen(device, { io, electron: !values['no-electron'], sim, scriptedWake: scripted, history, ...(displayPort !== undefined ? { port: displayPort } : {}), ...(values['display-host'] ? { host: values['display-host'] } : {}), allowLan: Boolean(values['display-lan']) });
      cleanups.push(() => screen.close());
    } catch (e) {
      await cleanup();
      throw e;
    }
  }

  let quit: () => void = () => {};
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const interactive = io.stdoutIsTTY && Boolean(io.stdin.isTTY) && !micAudio;
  const boardKeys = new Set([board.roles.actionButton, board.roles.muteButton].flatMap((b) => (b?.driver === 'keyboard' && b.key ? [b.key] : [])));
  const view = startTerminalView({ device, sim, scriptedWake: scripted, io, interactive, boardKeys, onQuit: () => quit() });
  cleanups.push(view.close);
  // A board without a ring (desktop) shows listening on the screen and, when the owner is
  // at an interactive terminal, on its status line; with neither, streams are refused.
  if (!devices.ring && view.indicator) cleanups.push(device.attachIndicator(view.indicator));
  // An idle device schedules no timers; keep the process alive until asked to quit.
  const keepAlive = setInterval(() => {}, 1 << 30);
  cleanups.push(() => clearInterval(keepAlive));
  const onSignal = () => quit();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cleanups.push(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  let code = 0;
  if (micAudio && sim) {
    const played = sim.microphone.play(micAudio, { tailMs: 1500 });
    if (values['exit-when-idle']) {
      await Promise.race([played, quitting]);
      const idle = await Promise.race([waitUntilIdle(device, { timeoutMs: 60_000 }), quitting.then(() => true)]);
      if (!idle) {
        io.err('error EXIT_WHEN_IDLE_TIMEOUT: the device did not return to idle within 60 s after the mic file ended');
        code = 1;
      }
      io.out(`done: ${device.ledger.entries().length} stream(s) in the ledger`);
    } else {
      await quitting;
    }
  } else {
    if (sim) cleanups.push(startRoomTone(sim.microphone));
    await quitting;
  }
  await cleanup();
  return code;
}
