import type { HistoryStore } from '../history/history-store.ts';
import type { DisplayHistory } from './ports.ts';
import { catalogItemSchema, type CatalogItem, type RecordingSummary, type ScanRecord } from './protocol.ts';

function numericId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw Object.assign(new Error(`bad id ${id}`), { code: 'HISTORY_NOT_FOUND' });
  return n;
}

function imageToDataUrl(image: Buffer | null): string | null {
  return image ? `data:image/jpeg;base64,${image.toString('base64')}` : null;
}

function dataUrlToImage(url: string | null): Buffer | null {
  if (!url) return null;
  const m = /^data:image\/(?:jpeg|png|webp);base64,([A-Za-z0-9+/=]+)$/.exec(url);
  return m ? Buffer.from(m[1]!, 'base64') : null;
}

function results(value: unknown): CatalogItem[] {
  const parsed = catalogItemSchema.array().safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** The real history store, seen through the screen's narrow port (string ids, data-URL images). */
export function historyForDisplay(store: HistoryStore): DisplayHistory {
  return {
    listRecordings(q) {
      return store.listRecordings(q).map((r): RecordingSummary => {
        // The list shows what was said; the store keeps transcripts sealed, so open each.
        const full = r.hasTranscript ? store.getRecording(r.id) : null;
        return {
          id: String(r.id),
          startedAt: r.startedAt,
          durationMs: r.durationMs,
          deviceId: r.deviceId,
          trigger: r.trigger,
          transcript: full?.transcript ?? null,
          response: full?.responseText ?? null,
          hasAudio: r.durationMs > 0,
          falseWake: r.falseWake,
        };
      });
    },
    getRecordingAudio: (id) => store.getRecordingAudio(numericId(id)),
    deleteRecording: (id) => store.deleteRecording(numericId(id)),
    deleteRange: (from, to) => store.deleteRange(from, to),
    deleteDevice: (deviceId) => store.deleteDevice(deviceId),
    deleteAll: () => Promise.all([store.deleteAll(), ...store.listScans().map((s) => store.deleteScan(s.id))]),
    listLedger: (q) => store.listLedger(q),
    async addScan(s) {
      const id = await store.addScan({ code: s.code, format: s.format, image: dataUrlToImage(s.image), results: s.results });
      const saved = store.listScans().find((x) => x.id === id);
      return { id: String(id), at: saved?.createdAt ?? Date.now(), code: s.code, format: s.format, image: s.image, results: s.results };
    },
    listScans: () =>
      store.listScans().map((s): ScanRecord => ({ id: String(s.id), at: s.createdAt, code: s.code, format: s.format, image: imageToDataUrl(s.image), results: results(s.results) })),
    deleteScan: (id) => store.deleteScan(numericId(id)),
    deleteFalseWake: (id) => store.deleteFalseWake(numericId(id)),
    privacyStatus: () => {
      const chain = store.verifyLedger();
      return {
        chain: { intact: chain.intact, sealed: chain.sealed, receipts: chain.receipts, head: chain.head, problems: chain.problems },
        receipts: store.listLedgerNotes({ limit: 20 }).filter((n) => n.kind === 'receipt'),
        muteVerified: store.listLedgerNotes({ limit: 20 }).filter((n) => n.kind === 'mute-verified'),
        falseWakesPerDay: store.falseWakesPerDay(),
      };
    },
    getSettings: () => ({ ...store.getSettings() }),
    setSettings: async (patch) => ({ ...(await store.setSettings(patch)).settings }),
  };
}
