import { applyEchoPath, mixEcho, DEFAULT_ECHO_PATH } from '../../hal/sim/sim-echo-path.ts';
import { FarEndTimeline } from '../../hal/aec/far-end-timeline.ts';
import { EchoCancelStage } from '../../hal/aec/echo-cancel-stage.ts';
import { loadEchoCanceller } from '../../hal/aec/load-echo-canceller.ts';
import type { EchoCancellerOptions } from '../../hal/aec/echo-canceller.ts';
import { WakePipeline } from '../../src/wake/wake-pipeline.ts';
import { WakeDecider } from '../../src/wake/wake-decider.ts';
import { resolveWakeModel } from '../../src/wake/models.ts';
import { CHUNK_SAMPLES } from '../../src/wake/constants.ts';

/**
 * One bench scene: own playback through the sim room into the mic (plus room noise and,
 * for detection, the owner's wake words), then frame by frame through the canceller (or
 * not) and the real wake word pipeline, as the device runs them.
 */
export const ROOM_NOISE = 40;

export function roomNoise(n: number, seed = 11): Int16Array {
  const out = new Int16Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = Math.round(((s / 0x7fffffff) * 2 - 1) * ROOM_NOISE);
  }
  return out;
}

/** The loudspeaker drive at `volume` (the player's squared curve). */
export function atVolume(x: Int16Array, volume: number): Int16Array {
  const g = volume * volume;
  return Int16Array.from(x, (v) => Math.round(v * g));
}

/** mic = room noise + echo of `far` through the sim room (soft clip at full scale). */
export function micFromFar(far: Int16Array): { mic: Int16Array; echo: Float32Array } {
  const echo = applyEchoPath(far, DEFAULT_ECHO_PATH);
  const mic = roomNoise(far.length);
  mixEcho(mic, echo);
  return { mic, echo };
}

export type Processing = { kind: 'raw' } | { kind: 'aec'; misalignMs?: number; estimateDelay?: boolean; canceller?: EchoCancellerOptions };

export interface SceneResult {
  /** End sample of every frame that fired (after the guard, when `guard` is given). */
  events: number[];
  /** Events the guard dropped (AEC not converged yet, or no AEC). */
  guardDropped: number;
  /** Per frame ms spent in the echo-cancel stage (only frames it processed). */
  aecMs: number[];
  wakeMs: number[];
  /** CPU time (user + system, ms) per frame: what contention for the cores does not inflate. */
  aecCpuMsPerFrame: number;
  wakeCpuMsPerFrame: number;
  converged: boolean;
  delayMs: number | null;
}

/**
 * Runs the scene. `playing(sample)` says whether the speaker plays at that moment (for
 * the self-wake guard: dropped while playing unless the canceller has converged);
 * without it no guard is applied.
 */
export async function runScene(mic: Int16Array, far: Int16Array, p: Processing, playing?: (sample: number) => boolean): Promise<SceneResult> {
  let stage: EchoCancelStage | undefined;
  let now = 0;
  if (p.kind === 'aec') {
    const loaded = await loadEchoCanceller(p.canceller ?? {});
    if (!loaded.ok) throw new Error(`${loaded.code}: ${loaded.reason}`);
    const timeline = new FarEndTimeline({ keepMs: 2000 });
    timeline.write({ samples: far, atMs: 0 });
    stage = new EchoCancelStage({ canceller: loaded.canceller, timeline, now: () => now, delayMs: DEFAULT_ECHO_PATH.delayMs, ...(p.estimateDelay === false ? { estimateDelay: false } : {}), ...(p.misalignMs ? { misalignMs: p.misalignMs } : {}) });
  }
  const pipeline = new WakePipeline({ heads: [resolveWakeModel('alexa')] });
  const decider = new WakeDecider(pipeline.labels, 0.5, 2000);
  const r: SceneResult = { events: [], guardDropped: 0, aecMs: [], wakeMs: [], aecCpuMsPerFrame: 0, wakeCpuMsPerFrame: 0, converged: false, delayMs: null };
  let aecCpu = 0;
  let wakeCpu = 0;
  let frames = 0;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (let k = 0; k + CHUNK_SAMPLES <= mic.length; k += CHUNK_SAMPLES) {
    now = (k + CHUNK_SAMPLES) / 16;
    let frame = mic.subarray(k, k + CHUNK_SAMPLES);
    frames++;
    if (stage) {
      const c0 = cpu();
      const t0 = performance.now();
      const out = stage.process(frame);
      if (out !== frame) r.aecMs.push(performance.now() - t0);
      aecCpu += cpu() - c0;
      frame = out;
    }
    const guardOn = playing ? playing(k + CHUNK_SAMPLES) && !(stage?.converged ?? false) : false;
    const c1 = cpu();
    const t1 = performance.now();
    pipeline.push(frame, (res) => {
      decider.suppressed = false;
      const ev = decider.onFrame(res.frame, res.scores);
      if (!ev) return;
      if (guardOn) r.guardDropped++;
      else r.events.push(k + CHUNK_SAMPLES);
    });
    r.wakeMs.push(performance.now() - t1);
    wakeCpu += cpu() - c1;
  }
  r.aecCpuMsPerFrame = aecCpu / Math.max(1, frames);
  r.wakeCpuMsPerFrame = wakeCpu / Math.max(1, frames);
  pipeline.dispose();
  if (stage) {
    r.converged = stage.converged;
    r.delayMs = stage.delayMs;
    stage.canceller.close();
  }
  return r;
}
