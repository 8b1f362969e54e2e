import { describe, expect, it } from 'vitest';
import { loadEchoCanceller } from '../../hal/aec/load-echo-canceller.ts';
import { FarEndTimeline } from '../../hal/aec/far-end-timeline.ts';
import { EchoCancelStage } from '../../hal/aec/echo-cancel-stage.ts';
import { estimateDelay } from '../../hal/aec/delay-estimator.ts';
import { applyEchoPath, DEFAULT_ECHO_PATH } from '../../hal/sim/sim-echo-path.ts';
import { babble, db, noise } from './signals.ts';

describe('FarEndTimeline', () => {
  it('reads back what played, sample-exact, zeros elsewhere, and honours a cut', () => {
    const t = new FarEndTimeline();
    const x = Int16Array.from({ length: 1600 }, (_, i) => i + 1);
    t.write({ samples: x, atMs: 1000 });
    const r = t.read(1050, 1600); // [1050 - 100 ms, 1050)
    expect(r[0]).toBe(0);
    expect(r[800]).toBe(1);
    expect(r[1599]).toBe(800);
    t.cut(1020);
    const after = t.read(1100, 1600);
    expect(after[Math.round(0.2 * 1600) - 1]).toBe(320); // last sample before the cut at 1020 ms
    expect(after.subarray(Math.round(0.2 * 1600)).every((v) => v === 0)).toBe(true);
    expect(t.activeBetween(1020, 2000)).toBe(false);
    expect(t.activeBetween(1000, 1020)).toBe(true);
  });
});

describe('delay estimator', () => {
  it('finds the bulk delay of the sim room within a millisecond', () => {
    const far = babble(16_000 + 400 * 16, 8000);
    const echo = applyEchoPath(far, { ...DEFAULT_ECHO_PATH, delayMs: 123 });
    const mic = Int16Array.from(echo.subarray(-16_000), (v) => Math.round(v));
    const est = estimateDelay(mic, far, 400);
    expect(est).not.toBeNull();
    expect(Math.abs(est!.delayMs - 123)).toBeLessThanOrEqual(1);
  });

  it('gives no estimate for a held pure tone (periodic: no clear peak)', () => {
    const far = Int16Array.from({ length: 16_000 + 6400 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 500 * i) / 16_000)));
    const echo = applyEchoPath(far, { delayMs: 50, gain: 0.5, reflections: [] });
    const mic = Int16Array.from(echo.subarray(-16_000), (v) => Math.round(v));
    expect(estimateDelay(mic, far, 400)).toBeNull();
  });
});

/** Runs a stage over a far end played through the sim room; returns ERLE of the last 2 s. */
async function runStage(opts: { trueDelayMs: number; boardDelayMs: number; estimate: boolean; misalignMs?: number }) {
  const r = await loadEchoCanceller();
  if (!r.ok) throw new Error(`${r.code}: ${r.reason}`);
  const timeline = new FarEndTimeline();
  let now = 0;
  const stage = new EchoCancelStage({ canceller: r.canceller, timeline, now: () => now, delayMs: opts.boardDelayMs, estimateDelay: opts.estimate, ...(opts.misalignMs ? { misalignMs: opts.misalignMs } : {}) });
  const n = 16_000 * 8;
  const far = babble(n, 9000);
  timeline.write({ samples: far, atMs: 0 });
  const echo = applyEchoPath(far, { ...DEFAULT_ECHO_PATH, delayMs: opts.trueDelayMs });
  const room = noise(n, 30, 5);
  const mic = Int16Array.from(echo, (v, i) => Math.round(v + room[i]!));
  const out = new Int16Array(n);
  for (let k = 0; k < n; k += 1280) {
    now = (k + 1280) / 16;
    out.set(stage.process(mic.slice(k, k + 1280)), k);
  }
  const erle = db(mic.subarray(-32_000), out.subarray(-32_000));
  r.canceller.close();
  return { erle, stage };
}

describe('EchoCancelStage', () => {
  it('converges on the board delay and reports it', async () => {
    const { erle, stage } = await runStage({ trueDelayMs: 40, boardDelayMs: 40, estimate: false });
    expect(erle).toBeGreaterThan(20);
    expect(stage.converged).toBe(true);
  });

  it.each([
    [230, 40, 'longer than the filter can absorb'],
    [40, 150, 'shorter: the echo would lead its reference'],
  ])('learns a true delay of %i ms when the board says %i (%s), and converges', async (trueDelayMs, boardDelayMs) => {
    const { erle, stage } = await runStage({ trueDelayMs, boardDelayMs, estimate: true });
    expect(Math.abs(stage.delayMs - trueDelayMs)).toBeLessThanOrEqual(2);
    expect(erle).toBeGreaterThan(20);
    expect(stage.converged).toBe(true);
  });

  it('without the estimator, a board delay 110 ms too long is never cancelled', async () => {
    const { erle, stage } = await runStage({ trueDelayMs: 40, boardDelayMs: 150, estimate: false });
    expect(erle).toBeLessThan(CONVERGED);
    expect(stage.converged).toBe(false);
  });

  it('planted bug: a reference 100 ms too old never converges', async () => {
    const { erle, stage } = await runStage({ trueDelayMs: 40, boardDelayMs: 40, estimate: true, misalignMs: 100 });
    expect(erle).toBeLessThan(CONVERGED);
    expect(stage.converged).toBe(false);
  });

  it('passes the mic through untouched while nothing plays', async () => {
    const r = await loadEchoCanceller();
    if (!r.ok) throw new Error(r.code);
    const stage = new EchoCancelStage({ canceller: r.canceller, timeline: new FarEndTimeline(), now: () => 1000, delayMs: 40 });
    const frame = noise(1280, 500);
    expect(stage.process(frame)).toBe(frame);
    r.canceller.close();
  });
});
const CONVERGED = 10;
