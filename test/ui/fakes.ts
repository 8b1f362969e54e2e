import { TypedEmitter } from '../../hal/base/typed-emitter.ts';
import type { AttentionEvent, AttentionView } from '../../src/core/attention/types.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import type { Device, DeviceEvents } from '../../src/core/device-types.ts';
import type { IndicatorSink } from '../../src/core/ports/indicator-sink.ts';
import { TransparencyLedger } from '../../src/core/ledger/transparency-ledger.ts';
import { defaultSettings, type Settings } from '../../src/core/settings/schema.ts';
import type { DisplayHistory } from '../../src/display/ports.ts';
import type { RecordingSummary, ScanRecord } from '../../src/display/protocol.ts';

export function baseView(patch: Partial<AttentionView> = {}): AttentionView {
  return {
    version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false, online: true,
    fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null, scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
    ...patch,
  };
}

/** Just enough of a Device for the bridge: a view to change, sinks to count, events to emit. */
export class FakeDevice extends TypedEmitter<DeviceEvents> {
  view = baseView();
  settings: Settings = defaultSettings();
  clock = new ManualClock(1000);
  ledger = new TransparencyLedger();
  boardName = 'sim';
  sinks = new Set<IndicatorSink>();
  sent: AttentionEvent[] = [];
  voiceLabel = 'FAKE voice service';
  chimes: string[] = [];

  chime(tone: 'chime' | 'error'): void {
    this.chimes.push(tone);
  }

  send(event: AttentionEvent): void {
    this.sent.push(event);
  }
  attachIndicator(sink: IndicatorSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }
  updateSettings(patch: Partial<Settings>): void {
    this.settings = { ...this.settings, ...patch };
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Changes the view as the attention machine would, and renders it on every sink. */
  setView(patch: Partial<AttentionView>): { view: AttentionView; rendered: Promise<void>[] } {
    this.view = { ...this.view, ...patch, version: this.view.version + 1 };
    this.emit('change', this.view);
    const rendered = [...this.sinks].map((s) => s.render(this.view));
    // Tests that do not await a render must not turn its fail-closed rejection into noise.
    for (const r of rendered) r.catch(() => {});
    return { view: this.view, rendered };
  }
  emitTranscript(streamId: number, text: string): void {
    this.emit('transcript', streamId, text);
  }
  emitResponse(streamId: number, text: string): void {
    this.emit('response-text', streamId, text);
  }
}

export function asDevice(d: FakeDevice): Device {
  return d as unknown as Device;
}

/** An in-memory history with the real store's method names. */
export class MemoryHistory implements DisplayHistory {
  recordings: (RecordingSummary & { audio: Int16Array })[] = [];
  scans: ScanRecord[] = [];
  settings: Record<string, unknown> = { ...defaultSettings() };
  #next = 1;

  add(r: Partial<RecordingSummary> & { startedAt: number }): RecordingSummary {
    const rec = { id: `r${this.#next++}`, durationMs: 1000, deviceId: 'tally', trigger: 'wake', transcript: 'turn on the lights', response: 'ok', hasAudio: true, audio: new Int16Array(1600).fill(1000), ...r };
    this.recordings.push(rec);
    return rec;
  }
  listRecordings(q: { limit: number; offset: number; from?: number; to?: number; deviceId?: string }): RecordingSummary[] {
    return this.recordings
      .filter((r) => (q.from === undefined || r.startedAt >= q.from) && (q.to === undefined || r.startedAt <= q.to) && (!q.deviceId || r.deviceId === q.deviceId))
      .slice(q.offset, q.offset + q.limit)
      .map(({ audio: _a, ...r }) => r);
  }
  getRecordingAudio(id: string): Int16Array {
    const r = this.recordings.find((x) => x.id === id);
    if (!r) throw new Error('gone');
    return r.audio;
  }
  deleteRecording(id: string): void {
    this.recordings = this.recordings.filter((r) => r.id !== id);
  }
  deleteRange(from: number, to: number): void {
    this.recordings = this.recordings.filter((r) => r.startedAt < from || r.startedAt > to);
  }
  deleteDevice(deviceId: string): void {
    this.recordings = this.recordings.filter((r) => r.deviceId !== deviceId);
  }
  deleteAll(): void {
    this.recordings = [];
    this.scans = [];
  }
  listLedger(): unknown[] {
    return [];
  }
  addScan(s: Omit<ScanRecord, 'id' | 'at'>): ScanRecord {
    const rec = { ...s, id: `s${this.#next++}`, at: Date.UTC(2026, 0, 1) };
    this.scans.push(rec);
    return rec;
  }
  listScans(): ScanRecord[] {
    return this.scans;
  }
  deleteScan(id: string): void {
    this.scans = this.scans.filter((s) => s.id !== id);
  }
  getSettings(): Record<string, unknown> {
    return this.settings;
  }
  /** Like the real store: whoever listens (the device, in the product) hears every change. */
  readonly settingsListeners: ((patch: Record<string, unknown>) => void)[] = [];

  setSettings(patch: Record<string, unknown>): Record<string, unknown> {
    this.settings = { ...this.settings, ...patch };
    for (const listener of this.settingsListeners) listener(patch);
    return this.settings;
  }
}
