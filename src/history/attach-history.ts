import type { TimerHandle } from '../../hal/base/clock.ts';
import type { ClosedStream, Device } from '../core/device-types.ts';
import type { LedgerEntry, LedgerSink } from '../core/ledger/types.ts';
import type { StoredSettingProblem } from './settings-store.ts';
import type { DeletionPath, HistoryStore } from './history-store.ts';
import type { RecordingSelector } from './recordings.ts';

export const RETENTION_INTERVAL_MS = 24 * 3600 * 1000;
/** A request whose reply never came is saved anyway after this long (with what arrived). */
export const PENDING_LIMIT_MS = 120_000;

export interface AttachHistoryOptions {
  /** Where store failures go (codes and messages only, never words). Default: stderr. */
  onProblem?: (code: string, message: string) => void;
}

/** While in these states the last closed stream's words may still arrive. */
const REQUEST_STATES = new Set(['listening', 'thinking', 'speaking']);

interface Pending {
  stream: ClosedStream;
  transcript: string | null;
  responseText: string | null;
  timer: TimerHandle;
}

/**
 * Connects a running device to the history store:
 * - every ledger entry the gate writes is persisted;
 * - each closed stream's audio is held in RAM with the `transcript` / `response-text` of
 *   that stream until the request is over (the device leaves thinking/speaking), then
 *   saved — unless "save recordings" is off or "don't save" is on, in which case it is
 *   dropped without ever touching the disk (stronger than writing and deleting it);
 * - the owner's persisted settings are applied to the device now and whenever they change;
 * - the retention sweep runs now and every 24 h on the device's clock.
 * Returns detach, which saves any request still pending and stops everything above.
 */
export function attachHistory(device: Device, store: HistoryStore, opts: AttachHistoryOptions = {}): () => void {
  const problem = opts.onProblem ?? ((code, message) => process.stderr.write(`history: ${code}: ${message}\n`));
  const report = (e: unknown) => problem((e as { code?: string }).code ?? 'HISTORY_WRITE_FAILED', (e as Error).message);
  const unreadable: StoredSettingProblem[] = [];
  const stored = store.getStoredSettings(unreadable);
  for (const p of unreadable) problem(p.code, `stored setting "${p.key}" is unreadable: using the ${p.fallback === 'private' ? 'most private value' : 'default'} until it is set again`);
  if (Object.keys(stored).length) device.updateSettings(stored);
  const pending = new PendingRecordings(device, store, report);
  // A full disk must never break the gate: ledger write failures are reported, not thrown.
  const guarded = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      report(e);
    }
  };
  // With "don't save" the ledger stays in RAM (device.ledger, this boot only): never written.
  const ledgerOnDisk = () => !(device.settings.dontSave || store.getStoredSettings().dontSave === true);
  const sink: LedgerSink = {
    opened: (e) => ledgerOnDisk() && guarded(() => store.ledger.opened(e)),
    closed: (e) => ledgerOnDisk() && guarded(() => store.ledger.closed(e)),
    noted: (n) => ledgerOnDisk() && guarded(() => store.ledger.noted(n)),
  };
  const offs: (() => void)[] = [
    device.ledger.addSink(sink) as () => void,
    device.on('stream-closed', (stream) => pending.closed(stream)),
    device.on('transcript', (id, text) => pending.addText(id, 'transcript', text)),
    device.on('response-text', (id, text) => pending.addText(id, 'responseText', text)),
    device.on('change', (view) => {
      // The request is over once the device is no longer thinking about or answering it.
      if (!REQUEST_STATES.has(view.state) || view.state === 'listening') pending.finishAll();
    }),
    store.onSettingsChanged((patch) => device.updateSettings(patch)),
    store.onRecordingsDeleting((path, selector) => pending.dropCovered(path, selector)),
  ];
  let retentionTimer: TimerHandle | undefined;
  const sweep = () => {
    store.runRetention(device.clock.wallNow()).catch(report);
    retentionTimer = device.clock.setTimeout(sweep, RETENTION_INTERVAL_MS);
  };
  sweep();
  return () => {
    device.clock.clearTimeout(retentionTimer);
    for (const off of offs) off();
    pending.finishAll();
  };
}

/** Closed streams held in RAM until their request is over, then saved (or dropped). */
class PendingRecordings {
  readonly #device: Device;
  readonly #store: HistoryStore;
  readonly #report: (e: unknown) => void;
  readonly #pending = new Map<number, Pending>();
  /** Words that arrived before their stream closed. */
  readonly #texts = new Map<number, { transcript?: string; responseText?: string }>();

  constructor(device: Device, store: HistoryStore, report: (e: unknown) => void) {
    this.#device = device;
    this.#store = store;
    this.#report = report;
  }

  closed(stream: ClosedStream): void {
    const id = stream.entry.streamId;
    const early = this.#texts.get(id);
    this.#pending.set(id, {
      stream,
      transcript: early?.transcript ?? null,
      responseText: early?.responseText ?? null,
      timer: this.#device.clock.setTimeout(() => this.finish(id), PENDING_LIMIT_MS),
    });
    // Closed without a request in flight (no speech, mute, service lost): nothing more will come.
    if (!REQUEST_STATES.has(this.#device.view.state)) this.finish(id);
  }

  addText(streamId: number, field: 'transcript' | 'responseText', text: string): void {
    const p = this.#pending.get(streamId);
    if (p) p[field] = text;
    else this.#texts.set(streamId, { ...this.#texts.get(streamId), [field]: text });
  }

  finishAll(): void {
    [...this.#pending.keys()].forEach((id) => this.finish(id));
  }

  finish(streamId: number): void {
    const p = this.#forget(streamId);
    if (!p || !this.#mayKeep() || p.stream.audio.length === 0) return;
    const { entry, audio } = p.stream;
    this.#store
      .addRecording({
        audio,
        transcript: p.transcript,
        responseText: p.responseText,
        trigger: entry.trigger,
        preRollMs: entry.preRollMs,
        deviceId: entry.deviceId,
        startedAt: entry.startedAt,
        endedAt: Math.max(entry.startedAt, entry.endedAt ?? this.#device.clock.wallNow()),
        falseWake: isFalseWake(entry, p.transcript),
        streamId: entry.streamId,
        ledgerId: entry.id,
      })
      .catch(this.#report);
  }

  /** A deletion is under way: what it covers is never saved. */
  dropCovered(path: DeletionPath, selector: RecordingSelector): void {
    for (const [id, p] of this.#pending) if (coversPending(path, selector, p.stream.entry)) this.#forget(id);
  }

  #forget(streamId: number): Pending | undefined {
    const p = this.#pending.get(streamId);
    if (!p) return undefined;
    this.#pending.delete(streamId);
    this.#texts.delete(streamId);
    this.#device.clock.clearTimeout(p.timer);
    return p;
  }

  // Read from the database at save time, not only from the device: a `tally settings set
  // dontSave true` from another process takes effect for the very next request. The
  // stricter of the two wins.
  #mayKeep(): boolean {
    const stored = this.#store.getStoredSettings();
    const dontSave = this.#device.settings.dontSave || stored.dontSave === true;
    return !dontSave && this.#device.settings.saveRecordings && stored.saveRecordings !== false;
  }
}

/**
 * Whether a deletion covers a request not saved yet. Every "now"-shaped deletion (all,
 * today, last, don't save) covers it: it is the newest thing said — and when the deletion
 * was asked for by voice, it is the request asking for it. Ranges and devices by match.
 */
function coversPending(path: DeletionPath, s: RecordingSelector, entry: LedgerEntry): boolean {
  if (path === 'all' || path === 'today' || path === 'last' || path === 'dont-save') return true;
  if (path === 'device') return s.deviceId === entry.deviceId;
  if (path === 'range') return entry.startedAt >= (s.from ?? -Infinity) && entry.startedAt < (s.to ?? Infinity);
  return false;
}

/**
 * A wake that led to no request: no speech followed, or the service transcribed nothing.
 * A missing transcript alone proves nothing (a service may not send one).
 */
function isFalseWake(entry: LedgerEntry, transcript: string | null): boolean {
  return entry.trigger === 'wake' && (entry.endReason === 'no-speech' || (transcript !== null && transcript.trim() === ''));
}
