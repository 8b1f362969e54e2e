import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { WakeDecider } from '../../src/wake/wake-decider.ts';
import { EndpointTracker } from '../../src/wake/endpoint-tracker.ts';
import { FrameChunker } from '../../src/wake/frame-chunker.ts';
import { thresholdFor, SENSITIVITY_THRESHOLDS } from '../../src/wake/sensitivity.ts';
import { resolveWakeModel } from '../../src/wake/models.ts';

describe('WakeDecider', () => {
  const frames = (d: WakeDecider, scores: number[][]) => scores.flatMap((s, f) => d.onFrame(f, s) ?? []);

  it('fires once per run of hits and again only after the refractory (in frames of 80 ms)', () => {
    const d = new WakeDecider(['a'], 0.5, 400); // 5 frames
    const s = [0, 0.6, 0.9, 0.7, 0, 0, 0.8, 0, 0.55].map((x) => [x]);
    expect(frames(d, s).map((e) => e.frame)).toEqual([1, 6]);
  });

  it('reports the best word above its threshold', () => {
    const d = new WakeDecider(['a', 'b'], [0.5, 0.9], 2000);
    expect(d.onFrame(0, [0.6, 0.95])).toEqual({ wakeWord: 'b', score: 0.95, frame: 0 });
    const d2 = new WakeDecider(['a', 'b'], [0.5, 0.9], 2000);
    expect(d2.onFrame(0, [0.6, 0.85])?.wakeWord).toBe('a');
  });

  it('suppressed hits fire nothing but extend the refractory', () => {
    const d = new WakeDecider(['a'], 0.5, 400);
    d.suppressed = true;
    expect(d.onFrame(0, [0.9])).toBeUndefined();
    expect(d.onFrame(3, [0.9])).toBeUndefined();
    d.suppressed = false;
    expect(d.onFrame(7, [0.9])).toBeUndefined(); // 4 frames after the last suppressed hit
    expect(d.onFrame(8, [0.9])?.frame).toBe(8);
  });

  it('never fires twice within the refractory, whatever the scores', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { maxLength: 200 }), fc.integer({ min: 0, max: 3000 }), (xs, ms) => {
        const d = new WakeDecider(['a'], 0.5, ms);
        const fired = xs.flatMap((x, f) => d.onFrame(f, [x]) ?? []).map((e) => e.frame);
        for (let i = 1; i < fired.length; i++) expect(fired[i]! - fired[i - 1]!).toBeGreaterThanOrEqual(Math.ceil(ms / 80));
        // and it fires on the first hit
        const first = xs.findIndex((x) => x >= 0.5);
        expect(fired[0] ?? -1).toBe(first);
      }),
    );
  });
});

describe('EndpointTracker', () => {
  it('speech start, then end of speech after the configured silence (700 ms = 9 frames)', () => {
    const t = new EndpointTracker({ endOfSpeechSilenceMs: 700 });
    const vad = [0.1, 0.9, 0.8, 0.1, 0.2, 0.9, ...Array(9).fill(0.05), 0.9];
    const out = vad.map((v, i) => [i, t.onFrame(v)] as const).filter(([, s]) => s);
    expect(out).toEqual([
      [1, 'speech-start'],
      [14, 'end-of-speech'],
    ]);
  });

  it('hysteresis: values between the thresholds neither start nor end speech', () => {
    const t = new EndpointTracker({ endOfSpeechSilenceMs: 160 });
    expect([0.4, 0.45].map((v) => t.onFrame(v))).toEqual([undefined, undefined]);
    expect(t.onFrame(0.6)).toBe('speech-start');
    expect([0.4, 0.4, 0.4, 0.2].map((v) => t.onFrame(v))).toEqual([undefined, undefined, undefined, undefined]);
    expect(t.onFrame(0.2)).toBe('end-of-speech');
    t.reset();
    expect(t.onFrame(0.7)).toBe('speech-start');
  });
});

describe('FrameChunker', () => {
  it('emits exactly the input, in whole 1280-sample chunks, for any push sizes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 30 }), (sizes) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        const input = Int16Array.from({ length: total }, (_, i) => (i * 7919) % 32768);
        const c = new FrameChunker();
        const out: number[] = [];
        let at = 0;
        for (const n of sizes) {
          c.push(input.subarray(at, at + n), (chunk) => {
            expect(chunk.length).toBe(1280);
            out.push(...chunk);
          });
          at += n;
        }
        expect(out.length).toBe(Math.floor(total / 1280) * 1280);
        expect(out).toEqual([...input.subarray(0, out.length)]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('settings mapping', () => {
  it('maps sensitivity presets to thresholds, more sensitive = lower threshold', () => {
    expect(thresholdFor('default')).toBe(SENSITIVITY_THRESHOLDS.default);
    expect(thresholdFor('high')).toBeLessThan(thresholdFor('default'));
    expect(thresholdFor('low')).toBeGreaterThan(thresholdFor('default'));
    expect(() => thresholdFor('max')).toThrow(expect.objectContaining({ code: 'WAKE_SENSITIVITY_UNKNOWN' }));
  });

  it('resolves stock names and user .onnx paths; refuses missing files and unknown names', () => {
    expect(resolveWakeModel('hey_jarvis').path).toMatch(/hey_jarvis_v0\.1\.onnx$/);
    expect(() => resolveWakeModel('/nonexistent/my_word.onnx')).toThrow(expect.objectContaining({ code: 'WAKE_MODEL_NOT_FOUND' }));
    expect(() => resolveWakeModel('computer')).toThrow(expect.objectContaining({ code: 'WAKE_MODEL_UNKNOWN' }));
  });
});

describe('mixAtSnr', () => {
  it('adds noise at the requested SNR relative to the active speech level', async () => {
    const { mixAtSnr, activePower } = await import('../../src/wake/mix.ts');
    // 1 s of "speech" (a tone) padded with 1 s of silence: padding must not change the level.
    const signal = new Int16Array(32000);
    for (let i = 16000; i < 32000; i++) signal[i] = Math.round(8000 * Math.sin(i / 5));
    const noise = Int16Array.from({ length: 8000 }, (_, i) => ((i * 7919) % 2001) - 1000);
    for (const snr of [0, 10, 20]) {
      const out = mixAtSnr(signal, noise, snr, 3);
      let pn = 0;
      for (let i = 0; i < out.length; i++) pn += (out[i]! - signal[i]!) ** 2;
      pn /= out.length;
      expect(10 * Math.log10(activePower(signal) / pn)).toBeCloseTo(snr, 1);
    }
    expect(activePower(signal) / (8000 ** 2 / 2)).toBeCloseTo(1, 2); // the silent half does not count
  });
});
