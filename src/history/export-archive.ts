import { renameSync, rmSync } from 'node:fs';
import { TarWriter } from './tar-writer.ts';
import type { LedgerEntry } from '../core/ledger/types.ts';
import type { Settings } from '../core/settings/schema.ts';
import type { Recording } from './recordings.ts';
import type { Scan } from './scans.ts';
import type { VoiceProfileStatus } from './voice-profile.ts';
import { encodeWavBuffer } from '../../hal/base/wav.ts';

/** What the archive reads: the history store, narrowed so this module does not import it back. */
export interface ExportSource {
  allRecordingIds(): number[];
  getRecording(id: number): Recording;
  getRecordingAudio(id: number): Int16Array;
  listScans(): Scan[];
  listLedger(q: { limit?: number; offset?: number }): LedgerEntry[];
  getSettings(): Settings;
  voiceProfile(): VoiceProfileStatus | null;
}

export interface ExportSummary {
  path: string;
  recordings: number;
  scans: number;
  ledgerEntries: number;
}

/**
 * Data portability: everything the device keeps about the owner, in one plain tar —
 * `tally-export/metadata.json` plus `tally-export/audio/<id>.wav` and scan images under
 * `tally-export/scans/`. Written under a temporary name and renamed, so a half-written
 * archive never looks finished. The archive is plaintext by the owner's choice: it is
 * the one place their words may be found outside a sealed row.
 */
export function writeExportArchive(store: ExportSource, path: string, exportedAt: number): ExportSummary {
  const tmp = `${path}.partial`;
  const tar = new TarWriter(tmp);
  try {
    const recordings = [];
    for (const id of store.allRecordingIds()) {
      const r = store.getRecording(id);
      const audioPath = `audio/${id}.wav`;
      tar.add(`tally-export/${audioPath}`, encodeWavBuffer(store.getRecordingAudio(id), r.sampleRate), r.startedAt);
      recordings.push({ ...r, audio: audioPath });
    }
    const scans = store.listScans().map((s) => {
      const image = s.image ? `scans/${s.id}.img` : null;
      if (s.image && image) tar.add(`tally-export/${image}`, s.image, s.createdAt);
      return { id: s.id, createdAt: s.createdAt, code: s.code, format: s.format, results: s.results, image };
    });
    const ledger = [];
    for (let offset = 0; ; offset += 1000) {
      const page = store.listLedger({ limit: 1000, offset });
      ledger.push(...page);
      if (page.length < 1000) break;
    }
    const metadata = {
      format: 'tally-export',
      version: 1,
      exportedAt: new Date(exportedAt).toISOString(),
      settings: store.getSettings(),
      voiceProfile: store.voiceProfile(),
      recordings,
      scans,
      ledger,
    };
    tar.add('tally-export/metadata.json', Buffer.from(JSON.stringify(metadata, null, 2) + '\n', 'utf8'), exportedAt);
    tar.close();
    renameSync(tmp, path);
    return { path, recordings: recordings.length, scans: scans.length, ledgerEntries: ledger.length };
  } catch (e) {
    tar.abort();
    rmSync(tmp, { force: true });
    throw e;
  }
}
