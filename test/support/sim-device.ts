import { validateBoard } from '../../hal/board-definition.ts';
import { simBoard } from '../../boards/sim.ts';
import { createSimBoard, type SimBoard } from '../../hal/sim/sim-board.ts';
import { ManualClock, type Clock } from '../../hal/base/clock.ts';
import type { VoiceService } from '../../src/core/ports/voice-service.ts';
import { TallyDevice } from '../../src/core/device.ts';
import { MemoryMuteStore, type MuteStore } from '../../src/core/mute/mute-store.ts';
import { defaultSettings, type Settings } from '../../src/core/settings/schema.ts';
import { SimVoiceService } from '../../src/voice/sim-voice-service.ts';
import { ScriptedWakeDetector } from '../../src/wake/scripted-wake-detector.ts';
import type { BoardDefinition } from '../../hal/board-definition.ts';

/** Lets every pending promise callback run (indicator acks, relay writes). */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

export interface SimHarness {
  clock: ManualClock;
  sim: SimBoard;
  voice: SimVoiceService;
  wake: ScriptedWakeDetector;
  device: TallyDevice;
  muteStore: MuteStore;
  /** Feeds `ms` of audio (sample values count up so positions are checkable) and advances the clock. */
  speak(ms: number): Promise<void>;
}

/**
 * A device on a simulated board with a scripted wake detector: the one wiring shared by
 * the test harness, the screen's e2e harness and the gate benchmark (each picks its clock
 * and voice service).
 */
export function buildSimDevice(o: {
  clock: Clock;
  voice: VoiceService;
  muteStore?: MuteStore;
  board?: BoardDefinition;
  settings?: Partial<Settings>;
}): { sim: SimBoard; wake: ScriptedWakeDetector; device: TallyDevice } {
  const board = validateBoard(o.board ?? simBoard);
  const sim = createSimBoard(board, o.clock);
  const wake = new ScriptedWakeDetector('alexa');
  const device = new TallyDevice({
    boardName: board.name,
    devices: sim,
    clock: o.clock,
    settings: { ...defaultSettings(), ...o.settings },
    voice: o.voice,
    muteStore: o.muteStore ?? new MemoryMuteStore(false),
    wake,
  });
  return { sim, wake, device };
}

let counter = 1;
/** A sample pattern that identifies every sample: a running counter modulo 30000. */
export function numberedSamples(n: number): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = (counter++ % 30000) + 1;
  return out;
}

export async function createSimHarness(
  opts: {
    settings?: Partial<Settings>;
    autoRespond?: boolean;
    muteStore?: MuteStore;
    board?: BoardDefinition;
    start?: boolean;
    /** Clock ms the simulated ring takes to latch a frame (the indicator acknowledgement). */
    ringLatchMs?: number;
  } = {},
): Promise<SimHarness> {
  const clock = new ManualClock(0);
  const voice = new SimVoiceService({ clock, autoRespond: opts.autoRespond ?? false });
  const muteStore = opts.muteStore ?? new MemoryMuteStore(false);
  const { sim, wake, device } = buildSimDevice({ clock, voice, muteStore, ...(opts.board ? { board: opts.board } : {}), ...(opts.settings ? { settings: opts.settings } : {}) });
  if (sim.ring && opts.ringLatchMs) sim.ring.latchDelayMs = opts.ringLatchMs;
  if (opts.start !== false) {
    await device.start();
    await flush();
  }
  const frame = sim.microphone.frameSamples;
  const frameMs = (frame * 1000) / 16000;
  return {
    clock,
    sim,
    voice,
    wake,
    device,
    muteStore,
    async speak(ms: number) {
      for (let t = 0; t < ms; t += frameMs) {
        sim.microphone.feed(numberedSamples(frame));
        clock.advance(frameMs);
        await flush(1);
      }
    },
  };
}
