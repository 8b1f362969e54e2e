import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../support/memory-io.ts';
import { readWavFile } from '../../hal/base/wav.ts';
import { wavPath } from './golden.ts';
import { scaledTimeout } from '../support/timeout-scale.ts';

const SPEC_KEYS = ['model', 'threshold', 'positives', 'misses', 'missRate', 'negativeHours', 'falseAccepts', 'falseAcceptsPerHour', 'rtf', 'frameMsP50', 'frameMsP99'];

describe('tally wake-eval', () => {
  let pos: string;
  let neg: string;
  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), 'tally-wake-eval-'));
    pos = join(root, 'pos');
    neg = join(root, 'neg');
    mkdirSync(pos);
    mkdirSync(neg);
    copyFileSync(wavPath('tts_alexa'), join(pos, 'a.wav'));
    copyFileSync(wavPath('tts_hey_jarvis'), join(pos, 'not-alexa.wav'));
    // Any rate/width/channels is converted: 44.1 kHz stereo 24-bit.
    execFileSync('sox', [wavPath('tts_alexa'), '-r', '44100', '-c', '2', '-b', '24', join(pos, 'b-44k-stereo-24bit.wav')]);
    copyFileSync(wavPath('tts_negative'), join(neg, 'n1.wav'));
    copyFileSync(wavPath('noise_burst'), join(neg, 'n2.wav'));
  });

  it('prints exactly the specified JSON object', async () => {
    const io = memoryIO();
    expect(await main(['wake-eval', '--model', 'alexa', '--positive', pos, '--negative', neg, '--json'], io)).toBe(0);
    expect(io.lines).toHaveLength(1);
    const r = JSON.parse(io.lines[0]!);
    expect(Object.keys(r).sort()).toEqual([...SPEC_KEYS].sort());
    expect(r).toMatchObject({ model: 'alexa', threshold: 0.5, positives: 3, misses: 1, falseAccepts: 0, falseAcceptsPerHour: 0 });
    expect(r.missRate).toBeCloseTo(1 / 3);
    expect(r.negativeHours * 3600).toBeCloseTo((28439 + 51200) / 16000, 3);
    expect(r.rtf).toBeGreaterThan(0);
    expect(r.frameMsP99).toBeGreaterThanOrEqual(r.frameMsP50);
  });

  it('--threshold moves the operating point; noise at an SNR is mixed in', async () => {
    const strict = memoryIO();
    await main(['wake-eval', '--model', 'alexa', '--positive', pos, '--negative', neg, '--threshold', '0.9999', '--json'], strict);
    expect(JSON.parse(strict.lines[0]!)).toMatchObject({ threshold: 0.9999, misses: 3 });
    const noisy = memoryIO();
    const noise = wavPath('noise_burst');
    expect(await main(['wake-eval', '--model', 'alexa', '--positive', pos, '--negative', neg, '--noise', noise, '--snr=-10', '--json'], noisy)).toBe(0);
    expect(JSON.parse(noisy.lines[0]!).misses).toBeGreaterThan(1); // speech buried 10 dB under noise
  });

  it('refuses what it cannot read, with machine-readable codes', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'tally-wake-eval-bad-'));
    execFileSync('sox', [wavPath('tts_alexa'), '-e', 'u-law', join(bad, 'ulaw.wav')]);
    const io = memoryIO();
    expect(await main(['wake-eval', '--model', 'alexa', '--positive', bad, '--negative', neg], io)).toBe(1);
    expect(io.errors.join('\n')).toMatch(/^error WAV_UNSUPPORTED: .*ulaw\.wav/);

    writeFileSync(join(bad, 'ulaw.wav'), 'not a wav');
    const io2 = memoryIO();
    expect(await main(['wake-eval', '--model', 'alexa', '--positive', bad, '--negative', neg], io2)).toBe(1);
    expect(io2.errors[0]).toMatch(/^error WAV_INVALID/);

    const io3 = memoryIO();
    expect(await main(['wake-eval', '--model', 'computer', '--positive', pos, '--negative', neg], io3)).toBe(1);
    expect(io3.errors[0]).toMatch(/^error WAKE_MODEL_UNKNOWN: .*\(valid: alexa, hey_jarvis, hey_mycroft, hey_rhasspy/);

    const io4 = memoryIO();
    expect(await main(['wake-eval', '--model', 'alexa', '--positive', pos], io4)).toBe(1);
    expect(io4.errors[0]).toMatch(/^error CLI_MISSING_OPTION: .*--negative/);
  });
});

describe('corpus script (CI slice)', () => {
  it('synthesizes 16 kHz mono 16-bit positives, negatives, playback and noise', () => {
    const out = mkdtempSync(join(tmpdir(), 'tally-corpus-'));
    execFileSync('scripts/corpus/make-corpus.sh', ['--size', 'ci', '--out', out], { stdio: 'ignore' });
    for (const sub of ['positive/alexa', 'positive-reverb/alexa', 'positive-snr10/alexa', 'negative', 'negative-confusable', 'playback', 'noise']) {
      const wavs = readdirSync(join(out, sub)).filter((f) => f.endsWith('.wav'));
      expect(wavs.length, sub).toBeGreaterThan(0);
      const w = readWavFile(join(out, sub, wavs[0]!));
      expect(w, sub).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
      expect(w.samples.some((x) => x !== 0), sub).toBe(true);
    }
    expect(readdirSync(join(out, 'positive/alexa')).filter((f) => f.endsWith('.wav'))).toHaveLength(24);
  }, scaledTimeout(60_000));
});

describe('tally wake-eval over nested folders', () => {
  let pos: string;
  let neg: string;
  beforeAll(() => {
    const root = mkdtempSync(join(tmpdir(), 'tally-wake-eval-nested-'));
    pos = join(root, 'pos');
    neg = join(root, 'neg');
    mkdirSync(join(pos, 'kitchen'), { recursive: true });
    mkdirSync(join(pos, 'far'), { recursive: true });
    mkdirSync(neg);
    copyFileSync(wavPath('tts_alexa'), join(pos, 'kitchen', 'a.wav'));
    copyFileSync(wavPath('tts_hey_jarvis'), join(pos, 'far', 'not-alexa.wav'));
    copyFileSync(wavPath('tts_alexa'), join(pos, 'top.wav'));
    // An "alexa" among the negatives is a false accept the list must name.
    copyFileSync(wavPath('tts_alexa'), join(neg, 'says-alexa.wav'));
    copyFileSync(wavPath('tts_negative'), join(neg, 'n1.wav'));
  });

  it('recurses into sub-folders, names missed and falsely accepted files (--list), prints a per-folder table and progress', async () => {
    const io = memoryIO();
    expect(await main(['wake-eval', '--model', 'alexa', '--positive', pos, '--negative', neg, '--list'], io)).toBe(0);
    const out = io.lines.join('\n');
    expect(out).toMatch(/misses\s+1\/3/);
    expect(out).toMatch(new RegExp(`^missed\\s+${join(pos, 'far', 'not-alexa.wav')}$`, 'm'));
    expect(out).toMatch(new RegExp(`^false accept\\s+${join(neg, 'says-alexa.wav')}$`, 'm'));
    expect(out).toMatch(/far\s+positive\s+1\s+1 missed/);
    expect(out).toMatch(/kitchen\s+positive\s+1\s+0 missed/);
    expect(out).toMatch(/neg\s+negative\s+2\s+1 false accept/);
    // Not a terminal: plain progress lines on stderr, ending with the total.
    expect(io.errors.at(-1)).toMatch(/^wake-eval: done, 5\/5 in /);
    const json = memoryIO();
    await main(['wake-eval', '--model', 'alexa', '--positive', pos, '--negative', neg, '--list', '--json'], json);
    const r = JSON.parse(json.lines[0]!);
    expect(r.missedFiles).toEqual([join(pos, 'far', 'not-alexa.wav')]);
    expect(r.falseAcceptFiles).toEqual([join(neg, 'says-alexa.wav')]);
  });
});
