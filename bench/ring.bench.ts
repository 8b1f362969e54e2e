import type { Rgb, RingFrame } from '../hal/light-ring.ts';
import { encodeApa102, encodeWs281xSpi, encodeWs281xWords } from '../hal/drivers/ring-encoding.ts';
import { correctPixel, type RingColorOptions } from '../hal/drivers/ring-color.ts';
import { openSpiBus } from '../hal/drivers/spi-bus.ts';
import { SpiRing } from '../hal/drivers/spi-ring.ts';
import { FakeSpiDevice } from '../hal/fakes/fake-spi-device.ts';
import type { BenchResult } from './types.ts';
import { benchIdleCpu } from './ring-idle-cpu.ts';
import { measured, stated, summarize } from './types.ts';

/**
 * Light ring cost. (1) Encode time of one frame for 12, 24 and 60 LEDs per driver
 * (ws281x words for rpi_ws281x, ws281x-over-SPI bit stretching, APA102), p50 in µs;
 * `ref` is a straightforward bit-by-bit WS281x-SPI encoder measured in the same run on
 * the same frames (ratio < 1: the table-driven encoder is faster), and `budget_share`
 * the fraction of a 30 fps frame (33.3 ms). (2) The animation loop at 30 fps through the
 * real SpiRing driver (fake spi-device, so kernel SPI time is not included): CPU time
 * used per wall second, and per frame as a ratio of the frame budget. (3) CPU of an idle
 * device whose ring shows offline — frames only on change — against the same device idle
 * online, and the old 30 fps loop (ring-idle-cpu.ts).
 */
export const suite = 'ring';

const FRAME_BUDGET_US = 1e6 / 30;
const OPTS: RingColorOptions = { brightness: 0.6, maxBrightness: 0.8 };

function spinner(n: number, t: number): RingFrame {
  return Array.from({ length: n }, (_, i): Rgb => {
    const d = (((i - t) % n) + n) % n;
    return d === 0 ? [0, 220, 255] : d < 3 ? [0, 0, 255 - d * 60] : [0, 0, 40];
  });
}

/** The obvious encoder: one LED bit at a time, three SPI bits each. */
function naiveWs281xSpi(frame: RingFrame): Buffer {
  const out = Buffer.alloc(frame.length * 9 + 90);
  let bit = 0;
  for (const px of frame) {
    const [r, g, b] = correctPixel(px, OPTS);
    for (const c of [g, r, b]) {
      for (let i = 7; i >= 0; i--) {
        const sym = (c >> i) & 1 ? [1, 1, 0] : [1, 0, 0];
        for (const s of sym) {
          if (s) out[bit >> 3]! |= 0x80 >> (bit & 7);
          bit++;
        }
      }
    }
  }
  return out;
}

function timeUs(fn: (i: number) => void, iterations: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn(i);
    samples.push((performance.now() - t0) * 1000);
  }
  return samples;
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const iterations = quick ? 300 : 5000;
  const results: BenchResult[] = [];
  const encoders: Record<string, (f: RingFrame) => unknown> = {
    ws281x: (f) => encodeWs281xWords(f, OPTS),
    'ws281x-spi': (f) => encodeWs281xSpi(f, OPTS),
    apa102: (f) => encodeApa102(f, OPTS),
  };
  for (const leds of [12, 24, 60]) {
    const frames = Array.from({ length: leds }, (_, t) => spinner(leds, t));
    // warm up both so the JIT treats them alike
    timeUs((i) => naiveWs281xSpi(frames[i % leds]!), 200);
    for (const enc of Object.values(encoders)) timeUs((i) => enc(frames[i % leds]!), 200);
    const ref = summarize(timeUs((i) => naiveWs281xSpi(frames[i % leds]!), iterations)).p50;
    for (const [driver, enc] of Object.entries(encoders)) {
      const p50 = summarize(timeUs((i) => enc(frames[i % leds]!), iterations)).p50;
      results.push({ name: `ring.encode.${driver}.${leds}`, value: round(p50), unit: 'us', ref: measured('bit-by-bit WS281x-SPI encoder, same frames, same run, p50', round(ref)), ratio: round(p50 / ref), budget_share: round(p50 / FRAME_BUDGET_US, 6) });
    }
  }

  // Animation loop at 30 fps through the real driver, against the same 30 fps timer loop
  // drawing nothing (the pacing alone), alternated so load hits both alike.
  const spi = new FakeSpiDevice();
  const ring = new SpiRing(await openSpiBus(spi, 0, 0, 2_400_000, 'bench'), 'ws281x-spi', { pixelCount: 24 });
  const frames = quick ? 30 : 150;
  const loop = async (draw: (t: number) => Promise<void>) => {
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let t = 0; t < frames; t++) {
      const due = wall0 + (t * 1000) / 30;
      await draw(t);
      const wait = due + 1000 / 30 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const cpu = process.cpuUsage(cpu0);
    return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - wall0 };
  };
  const drawn = { cpuMs: 0, wallMs: 0 };
  const empty = { cpuMs: 0, wallMs: 0 };
  for (let half = 0; half < 2; half++) {
    for (const which of half ? ['empty', 'drawn'] : ['drawn', 'empty']) {
      const m = which === 'drawn' ? await loop((t) => ring.show(spinner(24, t))) : await loop(async () => {});
      const into = which === 'drawn' ? drawn : empty;
      into.cpuMs += m.cpuMs;
      into.wallMs += m.wallMs;
    }
  }
  await ring.close();
  const share = drawn.cpuMs / drawn.wallMs;
  const emptyShare = empty.cpuMs / empty.wallMs;
  results.push({
    name: 'ring.animation30fps.cpu_share', value: round(share, 4), unit: 'cpu-s/s', ref: measured('the same 30 fps timer loop drawing nothing, same run', round(emptyShare, 4)),
    ratio: round(share / emptyShare), wallMs: round(drawn.wallMs, 1), frames: frames * 2, leds: 24,
  });
  results.push(...(await benchIdleCpu(quick)));
  const perFrameUs = (drawn.cpuMs * 1000) / (frames * 2);
  results.push({ name: 'ring.animation30fps.per_frame', value: round(perFrameUs), unit: 'us', ref: stated('the frame budget at 30 fps (33.3 ms)', round(FRAME_BUDGET_US)), ratio: round(perFrameUs / FRAME_BUDGET_US, 5) });
  return results;
}

function round(x: number, digits = 3): number {
  return Number(x.toFixed(digits));
}
