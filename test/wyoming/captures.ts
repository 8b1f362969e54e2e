import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The recorded reference traffic: a copy of ../shared/reference/wyoming-captures, vendored
 * so CI needs nothing outside the repo (see fixtures/wyoming-captures/README.md).
 */
export const CAPTURES_DIR = process.env.TALLY_WYOMING_CAPTURES ?? join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'wyoming-captures');
/** "Alexa, ..." spoken by espeak-ng (from ../shared/wakeword/audio, license-clean). */
export const WAKE_CLIP = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tts_alexa_command.wav');

export interface IndexFrame {
  type: string;
  offset: number;
  header_line: string;
  header_bytes_including_lf: number;
  data_length: number;
  data: Record<string, unknown> | null;
  payload_length: number;
  payload_hex: string | null;
}
export interface IndexEntry {
  file: string;
  direction: string;
  bytes: number;
  sha256: string;
  frames: IndexFrame[];
}
export interface SessionLine {
  seq: number;
  t: number;
  conn: number;
  dir: 'to-satellite' | 'from-satellite';
  type: string;
  header: Record<string, unknown>;
  header_raw: string;
  data: Record<string, unknown> | null;
  data_raw: string | null;
  payload_length: number;
  payload_sha256: string | null;
  frame_bytes: number;
}

export function loadIndex(): IndexEntry[] {
  return (JSON.parse(readFileSync(join(CAPTURES_DIR, 'frames', 'index.json'), 'utf8')) as { frames: IndexEntry[] }).frames;
}
export function frameFile(name: string): Buffer {
  return readFileSync(join(CAPTURES_DIR, 'frames', name));
}
export function binFiles(): string[] {
  return readdirSync(join(CAPTURES_DIR, 'frames')).filter((f) => f.endsWith('.bin')).sort();
}
export function loadSession(file = 'session-local-wake.jsonl'): SessionLine[] {
  return readFileSync(join(CAPTURES_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as SessionLine);
}
/** Rebuilds a session frame's bytes; audio is not stored, so the payload is zeros of the right length. */
export function sessionFrameBytes(l: SessionLine): Buffer {
  const parts = [Buffer.from(l.header_raw + '\n', 'utf8')];
  if (l.data_raw !== null) parts.push(Buffer.from(l.data_raw, 'utf8'));
  if (l.payload_length) parts.push(Buffer.alloc(l.payload_length));
  return Buffer.concat(parts);
}
