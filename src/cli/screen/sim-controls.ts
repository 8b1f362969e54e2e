import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SimBoard } from '../../../hal/sim/sim-board.ts';
import type { ScriptedWakeDetector } from '../../wake/scripted-wake-detector.ts';
import type { SimControls } from '../../display/ports.ts';
import type { SimSnapshot } from '../../display/protocol.ts';
import { PACKAGE_ROOT } from '../../../hal/base/package-root.ts';

/** WAVs that ship with Tally for the simulator's "Speak" (espeak-ng, 16 kHz mono). */
export const BUNDLED_SIM_WAVS = join(PACKAGE_ROOT, 'ui', 'sim-wavs');

function listWavs(dirs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.wav') && !out.has(f)) out.set(f, join(dir, f));
  }
  return out;
}

/**
 * The simulator panel's handle on the sim board: presses its buttons (through the HAL,
 * exactly as a finger would), plays WAVs into its microphone, and reports the ring, red
 * LED and relay. Change detection polls (the sim devices have no change events, and a
 * 20 Hz look at a few numbers is nothing next to the screen's own frame rate).
 */
export function simControlsFor(
  sim: SimBoard,
  opts: { wavDirs?: readonly string[]; scriptedWake?: ScriptedWakeDetector | null; pollMs?: number } = {},
): SimControls & { close(): void } {
  const wavs = listWavs(opts.wavDirs ?? [BUNDLED_SIM_WAVS]);
  const listeners = new Set<() => void>();
  const snapshot = (): SimSnapshot => ({
    ring: (sim.ring?.current ?? []).map((px) => [px[0], px[1], px[2]] as [number, number, number]),
    redLed: sim.muteLed?.isOn ?? false,
    relay: sim.relay ? sim.relay.contact : null,
    wavs: [...wavs.keys()],
  });
  let last = JSON.stringify(snapshot());
  const timer = setInterval(() => {
    const now = JSON.stringify(snapshot());
    if (now === last) return;
    last = now;
    for (const l of listeners) l();
  }, opts.pollMs ?? 50);
  timer.unref();

  return {
    press(button) {
      const b = button === 'action' ? sim.actionButton : sim.muteButton;
      b?.press();
    },
    async speak(wav) {
      const path = wavs.get(basename(wav));
      if (!path) throw Object.assign(new Error(`no such WAV ${wav}`), { code: 'SIM_WAV_UNKNOWN' });
      const playing = sim.microphone.playWav(path, { tailMs: 1200 });
      // With the scripted wake engine, a clip whose name holds the wake word wakes the
      // device as it starts, as the real detector would a moment later.
      const w = opts.scriptedWake;
      if (w && basename(wav).toLowerCase().includes(w.wakeWord.toLowerCase())) w.trigger();
      await playing;
    },
    snapshot,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(timer);
      listeners.clear();
    },
  };
}
