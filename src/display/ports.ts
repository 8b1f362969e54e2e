import type { CatalogItem, ConnectionInfo, RecordingSummary, ScanRecord, SimSnapshot } from './protocol.ts';

/**
 * The narrow slices of other parts the bridge needs. Defined here (not imported from the
 * history store or the sim board) so the bridge can be tested with in-memory fakes and
 * adapted to the real implementations in one place (adapters.ts).
 */
export interface DisplayHistory {
  listRecordings(q: { limit: number; offset: number; from?: number; to?: number; deviceId?: string }): Promise<RecordingSummary[]> | RecordingSummary[];
  /** 16 kHz mono int16; throws when the recording has no audio (or is gone). */
  getRecordingAudio(id: string): Promise<Int16Array> | Int16Array;
  deleteRecording(id: string): Promise<unknown> | unknown;
  deleteRange(from: number, to: number): Promise<unknown> | unknown;
  deleteDevice(deviceId: string): Promise<unknown> | unknown;
  deleteAll(): Promise<unknown> | unknown;
  listLedger(q: { limit: number; offset: number }): Promise<unknown[]> | unknown[];
  addScan(scan: { code: string; format: string; image: string | null; results: CatalogItem[] }): Promise<ScanRecord> | ScanRecord;
  listScans(): Promise<ScanRecord[]> | ScanRecord[];
  deleteScan(id: string): Promise<unknown> | unknown;
  /** "Not meant for me": delete the request and count it as a false wake. */
  deleteFalseWake?(id: string): Promise<unknown> | unknown;
  /** Ledger chain status, deletion receipts and false wakes per day (counts only). */
  privacyStatus?(): Promise<unknown> | unknown;
  getSettings(): Promise<Record<string, unknown>> | Record<string, unknown>;
  setSettings(patch: Record<string, unknown>): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** What the simulator panel drives on the sim board. */
export interface SimControls {
  press(button: 'action' | 'mute'): void | Promise<void>;
  /** Plays a WAV (one of `snapshot().wavs`) into the simulated microphone. */
  speak(wav: string): Promise<void>;
  snapshot(): SimSnapshot;
  /** Calls back whenever the ring, red LED or relay changes; returns unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** Looks a scanned code up. Throws TallyError CATALOG_UNAVAILABLE when it cannot. */
export interface Catalog {
  readonly name: string;
  lookup(code: string): Promise<CatalogItem[]>;
}

/**
 * The first-run flow's view of the data dir: whether setup was completed there, the wake
 * words to choose from, and how Home Assistant reaches this device.
 */
export interface SetupPort {
  completedAt(): number | null;
  markCompleted(at: number): void;
  wakeWords(): { shipped: string[]; custom: string[] };
  connection(): ConnectionInfo;
}

/** Periods the microphone was off, as the screen's activity picture shades them. */
export interface MuteHistory {
  intervals(from: number, to: number): { from: number; to: number }[];
  readonly knownSince: number;
}
