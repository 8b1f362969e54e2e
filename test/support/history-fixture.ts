import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { AudioFiles } from '../../src/history/audio-files.ts';
import type { HistoryStore } from '../../src/history/history-store.ts';
import { aadFor, insertRecordingRow, newRowKey, type NewRecording } from '../../src/history/recordings.ts';
import { seal } from '../../src/history/sealed-box.ts';
import { int16ToBytes } from '../../hal/base/wav.ts';

const SAMPLE_RATE = 16_000;

/** A plausible request: `seconds` of tone-plus-noise PCM, words, a minute apart per index. */
export function benchRequest(i: number, seconds: number): NewRecording {
  const audio = new Int16Array(Math.round(seconds * SAMPLE_RATE));
  for (let s = 0; s < audio.length; s++) audio[s] = Math.round(8000 * Math.sin((s + i) / 7)) + ((s * 7919) % 97);
  const startedAt = Date.UTC(2026, 0, 1) + i * 60_000;
  return {
    audio,
    transcript: `what's the weather like in city number ${i}`,
    responseText: `It is ${i % 30} degrees and sunny.`,
    trigger: i % 5 === 0 ? 'button' : 'wake',
    preRollMs: 500,
    deviceId: i % 3 ? 'kitchen' : 'bedroom',
    startedAt,
    endedAt: startedAt + seconds * 1000,
  };
}

/**
 * Fills a store with `count` recordings fast (one transaction, sealed files written without
 * a per-file fsync), then makes all of it durable with one `sync -f` of the file system
 * and a WAL checkpoint: the files are really on disk, as a device's history would be, so
 * a later deletion pays for real unlinks (an unsynced fixture is deleted in the page cache).
 */
export function populateRecordings(store: HistoryStore, count: number, seconds = 0.05, startIndex = 0): void {
  const audio = new AudioFiles(store.dataDir);
  const db = store.database;
  const pcm = new Map<number, Buffer>();
  db.transaction(() => {
    for (let i = startIndex; i < startIndex + count; i++) {
      const r = benchRequest(i, seconds);
      const key = newRowKey();
      const file = audio.newName();
      const bytes = pcm.get(i % 16) ?? pcm.set(i % 16, int16ToBytes(r.audio)).get(i % 16)!;
      writeFileSync(audio.path(file), seal(key, bytes, aadFor('audio', file)));
      insertRecordingRow(db, r, file, key, r.endedAt);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  execFileSync('sync', ['-f', audio.dir]);
}
