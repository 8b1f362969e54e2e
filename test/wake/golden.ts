import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWavAs16kMono } from '../../hal/base/wav.ts';

/**
 * The openWakeWord parity vectors (fixtures/wakeword/README.md), vendored so CI needs
 * nothing outside the repo: license-clean synthetic and espeak-ng clips, ~0.9 MB.
 */
export const GOLDEN_DIR = process.env.TALLY_WAKEWORD_GOLDEN ?? join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'wakeword');

export interface GoldenInput {
  id: string;
  wav: string;
  pcmSha256: string;
  stream: { leadingZeros: number; clip: number; trailingZeros: number; samples: number; frames: number };
  mel: { firstRow: number; rowCount: number; calls: [number, number]; rows: number[][] };
  embeddings: Record<string, number[]>;
  scores: Record<string, number[]>;
  framesAtOrAboveThreshold: Record<string, number[]>;
  framesAtOrAboveThresholdVadGated: { vadThreshold: number; frames: Record<string, number[]> };
  vad: number[];
}
export interface Golden {
  generatedWith: { models: Record<string, { bytes: number; sha256: string }> };
  warmup: { rows: number; firstRow: number[]; lastRow: number[] };
  melUnit: Array<{ id: string; samples: number; frames: number; dB: number[][] }>;
  inputs: GoldenInput[];
}

export function loadGolden(): Golden {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, 'golden.json'), 'utf8')) as Golden;
}

export function clipOf(input: GoldenInput): Int16Array {
  return readWavAs16kMono(join(GOLDEN_DIR, input.wav));
}

/** leading zeros + clip + trailing zeros, as the README's "Building the stream". */
export function streamOf(input: GoldenInput): Int16Array {
  const clip = clipOf(input);
  const out = new Int16Array(input.stream.samples);
  out.set(clip, input.stream.leadingZeros);
  return out;
}

export function wavPath(id: string): string {
  return join(GOLDEN_DIR, 'audio', `${id}.wav`);
}
