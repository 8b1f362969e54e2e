import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateBoard } from '../hal/board-definition.ts';
import { simBoard } from '../boards/sim.ts';
import { createSimBoard } from '../hal/sim/sim-board.ts';
import { SystemClock } from '../hal/base/clock.ts';
import { TallyDevice } from '../src/core/device.ts';
import { MemoryMuteStore } from '../src/core/mute/mute-store.ts';
import { defaultSettings } from '../src/core/settings/schema.ts';
import { ScriptedWakeDetector } from '../src/wake/scripted-wake-detector.ts';
import { WyomingSatellite } from '../src/voice/wyoming/satellite.ts';
import { HaClient } from '../test/support/wyoming-ha-client.ts';
import { measured, stated, summarize, type BenchResult } from './types.ts';

export const suite = 'wyoming';

/** From wyoming-captures/session-local-wake.jsonl: `detection` → first mic chunk at HA, reference satellite. */
const REFERENCE_SATELLITE_DETECTION_TO_CHUNK_MS = 960;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Wake detection → first `audio-chunk` on HA's socket, through the whole device on the
 * sim board (machine → indicator ack → gate → satellite → loopback TCP → HA client),
 * real clock. Reference in the same run: one ping→pong round trip on the same socket.
 * Also: mic audio bytes a rogue second client (another loopback address) receives.
 */
export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const rounds = quick ? 5 : 40;
  const clock = new SystemClock();
  const board = validateBoard(simBoard);
  const sim = createSimBoard(board, clock);
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-wyoming-bench-'));
  const sat = new WyomingSatellite({ name: 'bench', wakeWords: ['alexa'], port: 0, host: '0.0.0.0', zeroconf: false, clock, dataDir });
  const wake = new ScriptedWakeDetector('alexa');
  const device = new TallyDevice({
    boardName: board.name,
    devices: sim,
    clock,
    settings: { ...defaultSettings(), startTone: false, endTone: false },
    voice: sat,
    muteStore: new MemoryMuteStore(false),
    wake,
  });
  await device.start();
  const port = sat.port;
  await HaClient.probe({ port });
  const ha = await HaClient.connect({ port });
  await ha.runSatellite();
  await HaClient.probe({ port, localAddress: '127.0.0.2' });
  const rogue = await HaClient.connect({ port, localAddress: '127.0.0.2' });
  rogue.send('run-satellite');
  rogue.send('ping', { text: null });
  await until(() => device.view.online, 2000, 'online');

  // Keep the mic fed (20 ms frames) so the pre-roll buffer is full at every wake.
  const frame = new Int16Array(320);
  const feeder = setInterval(() => sim.microphone.feed(frame), 20);
  await sleep(600);

  const wakeToChunk: number[] = [];
  const detectionToChunk: number[] = [];
  const roundTrip: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      // Reference: one frame there and back on the same loopback socket.
      let pongAt = 0;
      ha.onFrame = (f, at) => {
        if (f.type === 'pong' && !pongAt) pongAt = at;
      };
      const tPing = performance.now();
      ha.send('ping', { text: String(i) });
      await until(() => pongAt > 0, 2000, 'pong');
      roundTrip.push(pongAt - tPing);

      let firstChunkAt = 0;
      let detectionAt = 0;
      ha.onFrame = (f, at) => {
        if (f.type === 'detection' && !detectionAt) detectionAt = at;
        if (f.type === 'audio-chunk' && !firstChunkAt) firstChunkAt = at;
      };
      // The machine takes a wake from idle or from the short error display.
      await until(() => device.view.state === 'idle' || device.view.state === 'error', 5000, 'idle');
      // The error tone suppresses the wake word while it plays (self-wake guard).
      await until(() => wake.live && !sim.tones?.playing, 3000, 'wake detector fed and no tone playing');
      await sleep(quick ? 50 : 550); // let the pre-roll buffer refill (500 ms)
      const t0 = performance.now();
      if (!wake.trigger()) throw new Error('bench: wake refused');
      await until(() => firstChunkAt > 0, 3000, 'first audio-chunk');
      wakeToChunk.push(firstChunkAt - t0);
      detectionToChunk.push(firstChunkAt - detectionAt);
      ha.onFrame = null;
      // End the request the way HA does on a failed run; the device returns to idle.
      ha.send('error', { text: 'bench', code: 'stt-no-text-recognized' });
      await until(() => device.view.stream === null, 3000, 'stream closed');
      await sleep(20);
    }
    await rogue.settle(50);
  } finally {
    clearInterval(feeder);
    ha.close();
    rogue.close();
    await device.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (ha.audioBytes === 0) throw new Error('bench: the paired client received no audio, so the rogue client figure would mean nothing');
  const w = summarize(wakeToChunk);
  const r = summarize(roundTrip);
  const scope = 'scripted wake, sim ring acknowledging in a microtask: protocol and gate cost only; the real path is e2e.speech_onset_to_first_byte';
  const d = summarize(detectionToChunk);
  return [
    { name: 'wyoming.wake_to_first_audio_chunk.p50', value: round(w.p50), unit: 'ms', ref: measured('loopback ping→pong round trip on the same socket, p50', round(r.p50)), ratio: round(w.p50 / r.p50), rounds, scope },
    { name: 'wyoming.wake_to_first_audio_chunk.p99', value: round(w.p99), unit: 'ms', ref: measured('loopback ping→pong round trip on the same socket, p99', round(r.p99)), ratio: round(w.p99 / r.p99), rounds, scope },
    {
      name: 'wyoming.detection_to_first_audio_chunk.p99',
      value: round(d.p99),
      unit: 'ms',
      ref: measured('loopback ping→pong round trip on the same socket, p99', round(r.p99)),
      ratio: round(d.p99 / r.p99),
      rounds,
      referenceSatelliteMs: REFERENCE_SATELLITE_DETECTION_TO_CHUNK_MS,
      referenceSatellite: 'wyoming-satellite 1.4.1 in the recorded session (mic muted for the earcon + 0.5 s): not measured in this run',
      scope,
    },
    {
      name: 'wyoming.rogue_client_audio_bytes', value: rogue.audioBytes, unit: 'bytes', ref: stated('invariant 8: a client other than the paired service receives nothing', 0),
      target: '0', met: rogue.audioBytes === 0, pairedClientAudioBytes: ha.audioBytes, rounds,
    },
  ];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
