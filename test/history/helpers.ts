import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { NewRecording } from '../../src/history/recordings.ts';
import type { HistoryStore } from '../../src/history/history-store.ts';

export function tempDir(prefix = 'tally-history-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Call at the top of a test file: returns a maker of fresh temp dirs, each removed after its test. */
export function tempDirs(): () => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  return () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };
}

/** A marker nobody else would write: what every byte scan looks for. */
export function newMarker(): string {
  return `TALLYMARK-${randomBytes(8).toString('hex')}`;
}

/** Audio whose raw PCM bytes spell the marker (several times, so a partial page still shows it). */
export function markerAudio(marker: string, samples = 4000): Int16Array {
  const bytes = Buffer.from(marker.repeat(Math.ceil((samples * 2) / marker.length)), 'latin1').subarray(0, samples * 2);
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

export function markerRecording(marker: string, over: Partial<NewRecording> = {}): NewRecording {
  return {
    audio: markerAudio(marker),
    transcript: `what is the weather ${marker}`,
    responseText: `it is sunny ${marker}`,
    trigger: 'wake',
    preRollMs: 500,
    deviceId: 'kitchen',
    startedAt: Date.UTC(2026, 0, 1, 12),
    endedAt: Date.UTC(2026, 0, 1, 12, 0, 3),
    ...over,
  };
}

/** The plaintext forms a marker could take on disk: UTF-8 and UTF-16 (both byte orders). */
export function markerNeedles(marker: string): Buffer[] {
  return [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le'), Buffer.from(marker, 'utf16le').swap16()];
}

export interface Hit {
  file: string;
  needle: number;
  offset: number;
}

/** Every file under `dir`, recursively: the database, -wal, -shm, audio files, anything. */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

/** Scans the raw bytes of every file under `dir` for each needle. */
export function scanDir(dir: string, needles: Buffer[]): Hit[] {
  const hits: Hit[] = [];
  for (const file of allFiles(dir)) {
    const bytes = readFileSync(file);
    needles.forEach((needle, i) => {
      const offset = bytes.indexOf(needle);
      if (offset >= 0) hits.push({ file, needle: i, offset });
    });
  }
  return hits;
}

/**
 * The sealed forms of one recording, read before it is deleted: its row key, its sealed
 * transcript, and a slice of its sealed audio file. After deletion none may remain.
 */
export function recordingSecrets(store: HistoryStore, id: number): Buffer[] {
  const row = store.database
    .prepare('SELECT row_key, transcript, response_text, audio_file FROM recordings WHERE id = ?')
    .get(id) as { row_key: Buffer; transcript: Buffer; response_text: Buffer; audio_file: string };
  const audio = readFileSync(join(store.dataDir, 'audio', row.audio_file));
  return [row.row_key, row.transcript.subarray(29), row.response_text.subarray(29), audio.subarray(29, 29 + 256)];
}

export function rowSecrets(store: HistoryStore, table: 'scans' | 'voice_profiles', columns: string[]): Buffer[] {
  const rows = store.database.prepare(`SELECT row_key, ${columns.join(', ')} FROM ${table}`).all() as Record<string, Buffer | null>[];
  return rows.flatMap((r) => [r.row_key!, ...columns.map((c) => r[c]).filter((b): b is Buffer => b !== null).map((b) => b.subarray(29))]);
}
