import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { simBoard } from '../boards/sim.ts';
import { SystemClock } from '../hal/base/clock.ts';
import { validateBoard } from '../hal/board-definition.ts';
import { Ws281xRing } from '../hal/drivers/ws281x-ring.ts';
import { createFakeWs281x } from '../hal/fakes/fake-ws281x.ts';
import { createSimBoard } from '../hal/sim/sim-board.ts';
import { TallyDevice } from '../src/core/device.ts';
import { MemoryMuteStore } from '../src/core/mute/mute-store.ts';
import { defaultSettings } from '../src/core/settings/schema.ts';
import { startDisplayBridge } from '../src/display/bridge.ts';
import { SimVoiceService } from '../src/voice/sim-voice-service.ts';
import { createWakeDetector } from '../src/wake/create-wake-detector.ts';
import { listWavs } from '../src/wake/wake-eval.ts';
import { utterance } from './e2e-onset.ts';
import { measured, summarize, type BenchModule, type BenchResult } from './types.ts';

/**
 * End to end, in real time: speech onset in a WAV played into the mic → first audio byte
 * at the voice service, through the real wake detector (worker, ONNX), the real ws281x
 * ring driver over its fake native module, and the real screen in Chromium (the gate
 * waits for both indicators' acknowledgements). Reference, same clips: the wake word's
 * own length (onset → the pause after "Alexa," in the WAV), the floor for any detector
 * that waits for the whole word. Split into onset → detection and detection → first byte.
 */
export const suite = 'e2e';
export const needs: BenchModule['needs'] = ['ui'];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function positives(quick: boolean): string[] {
  const dir = quick ? join(tmpdir(), 'tally-wake-corpus-ci') : join(ROOT, '.wake-corpus');
  if (!existsSync(join(dir, 'manifest.txt'))) {
    execFileSync(join(ROOT, 'scripts/corpus/make-corpus.sh'), ['--size', quick ? 'ci' : 'full', '--out', dir], { stdio: 'ignore' });
  }
  return listWavs(join(dir, 'positive', 'alexa'));
}

async function startDevice() {
  const clock = new SystemClock();
  const { tones: _t, ...roles } = simBoard.roles; // no tones: they suppress detection between rounds
  const board = validateBoard({ ...simBoard, roles });
  const sim = createSimBoard(board, clock);
  const ring = new Ws281xRing(createFakeWs281x(), { pixelCount: 12, pin: 18 });
  const voice = new SimVoiceService({ clock, autoRespond: false });
  const wake = await createWakeDetector({ wakeWords: ['alexa'], sensitivity: 'default', refractoryMs: 2000 });
  const device = new TallyDevice({
    boardName: board.name, devices: { ...sim, ring }, clock, voice, wake,
    settings: { ...defaultSettings(), startTone: false, endTone: false }, muteStore: new MemoryMuteStore(false),
  });
  await device.start();
  return { sim, voice, wake, device };
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const clips = positives(quick).slice(0, quick ? 8 : 24);
  const { sim, voice, wake, device } = await startDevice();
  const bridge = await startDisplayBridge({ device });
  const browser = await chromium.launch({
    executablePath: process.env.TALLY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const toByte: number[] = [];
  const toDetection: number[] = [];
  const detectionToByte: number[] = [];
  const wordLength: number[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(bridge.url);
    await page.waitForSelector('.screen[data-state="idle"]');
    await sleep(500);
    let firstByteAt = 0;
    let detectedAt = 0;
    const open = voice.openStream.bind(voice);
    voice.openStream = (info) => {
      const s = open(info);
      return {
        write: (x) => ((firstByteAt ||= performance.now()), s.write(x)),
        // A getter: the gate reads the transport's live count after every write.
        get egress() {
          return s.egress;
        },
        end: (r) => s.end(r),
        abort: (r) => s.abort(r),
      };
    };
    wake.on('detection', () => (detectedAt ||= performance.now()));
    for (const path of clips) {
      const u = utterance(path, 2000, 1500);
      let fed = 0;
      let onsetAt = 0;
      const off = sim.microphone.on('frame', (f) => {
        fed += f.length;
        if (!onsetAt && fed > u.onset) onsetAt = performance.now();
      });
      firstByteAt = detectedAt = 0;
      await sim.microphone.play(u.samples);
      off();
      if (process.env.TALLY_E2E_DEBUG) process.stderr.write(JSON.stringify({ path, onsetAt, detectedAt, firstByteAt, state: device.view.state, micOpen: sim.microphone.isOpen }) + '\n');
      if (firstByteAt && detectedAt && onsetAt) {
        toByte.push(firstByteAt - onsetAt);
        toDetection.push(detectedAt - onsetAt);
        detectionToByte.push(firstByteAt - detectedAt);
        wordLength.push(((u.wordEnd - u.onset) * 1000) / 16_000);
      }
      sim.muteButton!.press(); // end the stream, then listen again
      await sleep(200);
      sim.muteButton!.press();
      await sleep(2200); // past the detector's refractory time
    }
  } finally {
    await browser.close();
    await bridge.close();
    await device.stop();
  }
  // Clips the detector misses at the default sensitivity (see wake.miss_rate_*) open no stream: counted, not timed.
  if (toByte.length === 0) throw new Error(`none of ${clips.length} clips reached the voice service`);
  const a = summarize(toByte);
  const ref = summarize(wordLength);
  const d = summarize(toDetection);
  const g = summarize(detectionToByte);
  const r = (v: number) => Math.round(v * 10) / 10;
  const refName = 'the wake word itself: speech onset → end of the wake word (the pause after "Alexa,") in the same WAVs';
  return (['p50', 'p99'] as const).map((p): BenchResult => ({
    name: `e2e.speech_onset_to_first_byte.${p}`, value: r(a[p]), unit: 'ms', ref: measured(`${refName}, ${p}`, r(ref[p])), ratio: Math.round((a[p] / ref[p]) * 100) / 100,
    onsetToDetection: r(d[p]), detectionToFirstByte: r(g[p]), clips: toByte.length, of: clips.length,
    path: 'wav → sim mic (real time) → wake worker (ONNX) → attention → ws281x driver on fake native + screen paint ack in Chromium → gate → voice service',
  }));
}
