import { simBoard } from '../boards/sim.ts';
import { SystemClock } from '../hal/base/clock.ts';
import { openSpiBus } from '../hal/drivers/spi-bus.ts';
import { SpiRing } from '../hal/drivers/spi-ring.ts';
import { FakeSpiDevice } from '../hal/fakes/fake-spi-device.ts';
import type { AttentionView } from '../src/core/attention/types.ts';
import { OFFLINE_FAST_SPIN_MS, RING_FPS, RingIndicator } from '../src/core/feedback/ring-indicator.ts';
import { ringFrame } from '../src/core/feedback/ring-patterns.ts';
import { SimVoiceService } from '../src/voice/sim-voice-service.ts';
import { buildSimDevice } from '../test/support/sim-device.ts';
import { measured, type BenchResult } from './types.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TARGET = 1.1;

/** CPU ms per wall second of this process while `ms` pass. */
async function cpuPerSecond(ms: number): Promise<number> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await sleep(ms);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / ((performance.now() - w0) / 1000);
}

/** The animation loop as it was: a frame every 1/30 s whether or not the pattern moved. */
function legacyLoop(ring: SpiRing, view: AttentionView, clock: SystemClock): () => void {
  let timer: NodeJS.Timeout | undefined;
  let on = true;
  const tick = () => {
    timer = setTimeout(() => void ring.show(ringFrame(view, ring.pixelCount, clock.now())).then(() => on && tick()), 1000 / RING_FPS);
  };
  tick();
  return () => ((on = false), clearTimeout(timer));
}

/**
 * CPU of an idle device (sim board in real time, mic frames every 80 ms through the gate's
 * pre-roll and the wake detector) with a 24-LED ring on the real SpiRing driver over its
 * fake spi-device, showing: idle (online, the reference), offline during its first
 * 10 s (fast spin), offline settled (crawl), and offline through the old 30 fps loop.
 */
export async function benchIdleCpu(quick: boolean): Promise<BenchResult[]> {
  const phaseMs = quick ? 2000 : 5000;
  const clock = new SystemClock();
  const { tones: _t, ...roles } = simBoard.roles;
  // The floor for the online figure: this process with no device running, same run.
  const bare = await cpuPerSecond(Math.min(phaseMs, 2000));
  const { sim, device } = buildSimDevice({ clock, voice: new SimVoiceService({ clock, autoRespond: false }), board: { ...simBoard, roles } });
  await device.start();
  const frame = new Int16Array(sim.microphone.frameSamples).fill(50);
  const mic = setInterval(() => sim.microphone.feed(frame), (sim.microphone.frameSamples * 1000) / 16_000);
  const ring = new SpiRing(await openSpiBus(new FakeSpiDevice(), 0, 0, 2_400_000, 'bench'), 'ws281x-spi', { pixelCount: 24 });
  const indicator = new RingIndicator(ring, clock, (e) => {
    throw e;
  });
  const view = (over: Partial<AttentionView>): AttentionView => ({ ...device.view, ...over });
  try {
    await sleep(500); // warm-up
    await indicator.render(view({ state: 'idle' }));
    const idle = await cpuPerSecond(phaseMs);
    const offline = view({ state: 'offline', online: false });
    const f0 = indicator.framesShown;
    await indicator.render(offline);
    const fast = await cpuPerSecond(OFFLINE_FAST_SPIN_MS);
    const fastFrames = indicator.framesShown - f0;
    const f1 = indicator.framesShown;
    const settled = await cpuPerSecond(phaseMs);
    const settledFrames = indicator.framesShown - f1;
    indicator.stop();
    const stopLegacy = legacyLoop(ring, offline, clock);
    const legacy = await cpuPerSecond(phaseMs);
    stopLegacy();
    const r = (x: number, d = 3) => Number(x.toFixed(d));
    const line = (name: string, value: number, extra: object): BenchResult => ({ name, value: r(value), unit: 'cpu-ms/s', ref: measured('same device idle and online (ring off), same run', r(idle)), ratio: r(value / idle), ...extra });
    return [
      { name: 'ring.device_cpu.online_idle', value: r(idle), unit: 'cpu-ms/s', ref: measured('this bench process with no device running, same run', r(bare)), ratio: bare ? r(idle / bare) : undefined, note: 'the reference of the offline lines' },
      line('ring.device_cpu.offline_settled', settled, { framesPerSecond: r(settledFrames / (phaseMs / 1000), 2), target: `<= ${TARGET}`, met: settled / idle <= TARGET, issueTarget: '#19 offline idle CPU within 1.1× of idle online' }),
      line('ring.device_cpu.offline_first_10s', fast, { framesPerSecond: r(fastFrames / (OFFLINE_FAST_SPIN_MS / 1000), 2), note: 'fast spin, frames only on change (12.5/s)' }),
      line('ring.device_cpu.offline_30fps_loop_before', legacy, { framesPerSecond: RING_FPS, note: 'the old loop: a frame every 1/30 s, same driver' }),
    ];
  } finally {
    clearInterval(mic);
    indicator.stop();
    await ring.close();
    await device.stop();
  }
}
