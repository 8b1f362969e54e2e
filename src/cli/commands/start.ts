import { systemProbeEnv } from '../../../hal/drivers/probe.ts';
import { assertAudioRolesWork } from '../audio-preflight.ts';
import { resolveWakeModel } from '../../wake/models.ts';
import { createDevices } from '../../../hal/create-devices.ts';
import { startRoomTone } from '../../../hal/sim/room-tone.ts';
import { SystemClock, type Clock } from '../../../hal/base/clock.ts';
import { TallyDevice } from '../../core/device.ts';
import { createEchoStage } from '../../../hal/aec/create-echo-stage.ts';
import { attachHistory } from '../../history/attach-history.ts';
import { attachPrivacyVoiceCommands } from '../../history/privacy-voice-commands.ts';
import { HistoryStore } from '../../history/history-store.ts';
import { FileMuteStore } from '../../core/mute/mute-store.ts';
import type { Settings } from '../../core/settings/schema.ts';
import { createVoiceService } from '../../voice/create-voice-service.ts';
import { CompositeWakeDetector } from '../../wake/composite-wake-detector.ts';
import { ScriptedWakeDetector } from '../../wake/scripted-wake-detector.ts';
import { paceToListeners } from '../../wake/listener-pace.ts';
import type { EndpointDetector, WakeDetector } from '../../core/ports/wake-detector.ts';
import type { CliIO } from '../io.ts';
import { bindEsphomeControls } from '../esphome-controls.ts';
import { startTerminalView } from '../terminal-view.ts';
import { waitUntilIdle } from '../wait-until-idle.ts';
import { parseStartOptions, type StartPlan } from './start-options.ts';

/** Holds a --mic-file recording back while the wake word engine is behind (undefined: play on). */
type WakePace = () => Promise<void> | undefined;

export { WAKE_ENGINES } from './start-options.ts';

type Devices = Awaited<ReturnType<typeof createDevices>>;

/** What to undo on the way out, last registered first. */
class Cleanups {
  #fns: (() => Promise<void> | void)[] = [];
  push(fn: () => Promise<void> | void): void {
    this.#fns.push(fn);
  }
  async run(): Promise<void> {
    for (const fn of this.#fns.reverse()) await fn();
    this.#fns.length = 0;
  }
}

/** Everything is validated before anything starts: a bad option leaves nothing half-started. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = await parseStartOptions(argv, io);
  if (!parsed) return 0;
  // Before any driver loads: a missing sound card aborts the process inside ALSA otherwise.
  await assertAudioRolesWork(parsed.board, systemProbeEnv(Boolean(io.stdin.isTTY), io.env));
  const clock = new SystemClock();
  // Opened before any device: a refused (corrupt / newer) history stops start with its error.
  const history = HistoryStore.open({ dataDir: parsed.dataDir, clock });
  // The owner's saved settings (tally settings set, the screen, HA) win over --config, and
  // must be in place before the wake detector and the voice service are built from them.
  let plan: StartPlan;
  try {
    plan = withStoredSettings(parsed, history);
  } catch (e) {
    await history.close();
    throw e;
  }
  const cleanups = new Cleanups();
  const { devices, sim } = await createDevices(plan.board, { clock, inputKeys: io.stdin, warn: (line) => io.err(line) });
  if (sim?.echo) sim.echo.enabled = true; // the simulated room hears the simulated speaker
  const scripted = new ScriptedWakeDetector(plan.settings.wakeWords[0]);
  let device: TallyDevice;
  let drainWake: () => Promise<void>;
  let paceWake: WakePace;
  try {
    ({ device, drainWake, paceWake } = await startDevice(plan, { clock, devices, history, scripted, io, cleanups }));
  } catch (e) {
    await cleanups.run();
    await devices.close();
    await history.close();
    throw e;
  }
  if (plan.display) {
    // The screen: prints `screen: <url-with-token>`; opens Electron when installed.
    try {
      const { startScreen } = await import('../screen/start-screen.ts');
      const { setupPortForDevice } = await import('../screen/setup-port.ts');
      const { port, host, allowLan, electron, onlineCatalog, urlFile } = plan.display;
      const setup = setupPortForDevice(device, plan.voiceName, plan.dataDir);
      const screen = await startScreen(device, { io, electron, sim, scriptedWake: scripted, history, onlineCatalog, setup, ...(port !== undefined ? { port } : {}), ...(host ? { host } : {}), allowLan, ...(urlFile ? { urlFile } : {}) });
      cleanups.push(() => screen.close());
    } catch (e) {
      await cleanups.run();
      throw e;
    }
  }
  const quitting = attachTerminal(plan, { device, devices, sim, scripted, io, cleanups });
  const code = await runUntilDone(plan, { device, sim, drainWake, paceWake }, quitting, io, cleanups);
  await cleanups.run();
  return code;
}

function withStoredSettings(plan: StartPlan, history: HistoryStore): StartPlan {
  const settings = { ...plan.settings, ...history.getStoredSettings() };
  // One check for every source of wake words: the model must exist (WAKE_MODEL_UNKNOWN otherwise).
  for (const w of settings.wakeWords) resolveWakeModel(w);
  return { ...plan, settings };
}

interface StartContext {
  clock: Clock;
  devices: Devices['devices'];
  history: HistoryStore;
  scripted: ScriptedWakeDetector;
  io: CliIO;
  cleanups: Cleanups;
}

/**
 * Voice service, wake detection, the device and its history, started. `drainWake` resolves
 * once the wake word engine has heard every frame the mic has delivered so far; `paceWake`
 * holds a --mic-file recording back while the engine or the VAD is behind (listener-pace.ts).
 */
async function startDevice(plan: StartPlan, ctx: StartContext): Promise<{ device: TallyDevice; drainWake: () => Promise<void>; paceWake: WakePace }> {
  const { clock, devices, history, io, cleanups } = ctx;
  const { settings, dataDir } = plan;
  const voice = await createVoiceService(plan.voiceName, {
    clock, dataDir, settings, log: (line) => io.err(line),
    ...(plan.wyomingPort !== undefined ? { wyomingPort: plan.wyomingPort } : {}),
    ...(plan.esphomePort !== undefined ? { esphomePort: plan.esphomePort } : {}),
    ...(plan.esphomePlaintext ? { esphomePlaintext: true } : {}),
    ...(plan.bind !== undefined ? { bind: plan.bind } : {}),
    ...(plan.zeroconf ? {} : { zeroconf: false }),
  });
  const { wake, endpoint, drain, pace } = plan.wakeEngine === 'openwakeword'
    ? await openWakeWord(settings, ctx.scripted, cleanups, io)
    : { wake: ctx.scripted, endpoint: undefined, drain: () => Promise.resolve(), pace: () => undefined };
  const echo = await echoCancellation(plan, devices, clock, cleanups);
  const device = new TallyDevice({ boardName: plan.board.name, devices, clock, settings, voice, muteStore: new FileMuteStore(dataDir), wake, ...(endpoint ? { endpoint } : {}), ...echo });
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
  return { device, drainWake: drain, paceWake: pace };
}

/** Barge-in: the echo canceller, loaded lazily; without it (a coded reason) the self-wake guard stays. */
async function echoCancellation(plan: StartPlan, devices: Devices['devices'], clock: Clock, cleanups: Cleanups) {
  const echo = await createEchoStage({ setup: plan.board.aec, tones: devices.tones, now: () => clock.now() });
  if (!echo.ok) return { echoUnavailable: { code: echo.code, reason: echo.reason } };
  cleanups.push(() => echo.close());
  return { echo: echo.stage };
}

/** The on-device wake word engine (and its VAD), with the scripted one beside it for the sim keys. */
async function openWakeWord(settings: Settings, scripted: ScriptedWakeDetector, cleanups: Cleanups, io: CliIO): Promise<{ wake: WakeDetector; endpoint: EndpointDetector; drain: () => Promise<void>; pace: WakePace }> {
  const { createWakeDetector, createEndpointDetector } = await import('../../wake/create-wake-detector.ts');
  const real = await createWakeDetector({ wakeWords: settings.wakeWords, sensitivity: settings.sensitivity, refractoryMs: settings.refractoryMs });
  cleanups.push(() => real.close());
  // Which engine the detector thread runs: native, or the WebAssembly fallback (armv7).
  io.out(`wake: openwakeword on the ${(await real.stats()).engine} engine`);
  const wake = new CompositeWakeDetector([real, scripted]);
  const vad = await createEndpointDetector({ endOfSpeechSilenceMs: settings.endOfSpeechSilenceMs });
  cleanups.push(() => vad.close());
  const pace = paceToListeners([real, vad], () => io.err('mic-file: the wake word engine is slower than real time here: the recording plays at its pace'));
  return { wake, endpoint: vad, drain: () => real.flush(), pace };
}

/** The terminal status line and keys, and the signals; resolves when asked to quit. */
function attachTerminal(
  plan: StartPlan,
  ctx: { device: TallyDevice; devices: Devices['devices']; sim: Devices['sim']; scripted: ScriptedWakeDetector; io: CliIO; cleanups: Cleanups },
): Promise<void> {
  const { device, devices, sim, io, cleanups, board } = { ...ctx, board: plan.board };
  let quit: () => void = () => {};
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const interactive = io.stdoutIsTTY && Boolean(io.stdin.isTTY) && !plan.micAudio;
  const boardKeys = new Set([board.roles.actionButton, board.roles.muteButton].flatMap((b) => (b?.driver === 'keyboard' && b.key ? [b.key] : [])));
  const view = startTerminalView({ device, sim, scriptedWake: ctx.scripted, io, interactive, boardKeys, onQuit: () => quit() });
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
  return quitting;
}

/** How long --exit-when-idle lets the wake word engine catch up with the file (emulated ARM is far slower than real time). */
const DRAIN_TIMEOUT_MS = 600_000;

/** Plays the mic file (and with --exit-when-idle waits for idle), or runs until quit. Returns the exit code. */
async function runUntilDone(plan: StartPlan, run: { device: TallyDevice; sim: Devices['sim']; drainWake: () => Promise<void>; paceWake: WakePace }, quitting: Promise<void>, io: CliIO, cleanups: Cleanups): Promise<number> {
  const { device, sim } = run;
  if (!plan.micAudio || !sim) {
    if (sim) cleanups.push(startRoomTone(sim.microphone));
    await quitting;
    return 0;
  }
  const played = sim.microphone.play(plan.micAudio, { tailMs: 1500, pace: run.paceWake });
  if (!plan.exitWhenIdle) {
    await quitting;
    return 0;
  }
  await Promise.race([played, quitting]);
  // A wake word engine slower than real time (emulated ARM, a busy Pi) is still behind the
  // audio when the file ends: "idle" now would end the run before it has heard the word.
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS)));
  const drained = await Promise.race([run.drainWake().then(() => true), quitting.then(() => true), tooLong]);
  clearTimeout(timer);
  // A stream it opened late hears the room (quiet noise) and ends by itself. Not before:
  // more audio while it is behind would only grow its backlog.
  if (device.view.stream) cleanups.push(startRoomTone(sim.microphone));
  let code = 0;
  if (!drained) {
    io.err(`error EXIT_WHEN_IDLE_TIMEOUT: the wake word engine had not caught up with the mic file ${DRAIN_TIMEOUT_MS / 1000} s after it ended`);
    code = 1;
  } else if (!(await Promise.race([waitUntilIdle(device, { timeoutMs: 60_000 }), quitting.then(() => true)]))) {
    io.err('error EXIT_WHEN_IDLE_TIMEOUT: the device did not return to idle within 60 s after the mic file ended');
    code = 1;
  }
  io.out(`done: ${device.ledger.entries().length} stream(s) in the ledger`);
  return code;
}
