import { randomUUID } from 'node:crypto';
import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import type { LedgerEntry, LedgerNote, LedgerNoteKind, LedgerSink } from './types.ts';

export interface LedgerEvents {
  [event: string]: unknown[];
  opened: [entry: LedgerEntry];
  closed: [entry: LedgerEntry];
  noted: [note: LedgerNote];
}

/**
 * The transparency ledger: every stream gets an entry when it opens and is completed
 * when it closes. Kept in memory (bounded, newest last) and forwarded to any sinks
 * (the history store persists it).
 */
/** The ledger as consumers see it: read it, hear entries close, persist them — never write one. */
export interface LedgerReader extends Pick<TypedEmitter<LedgerEvents>, 'on'> {
  entries(): LedgerEntry[];
  /** This boot's non-stream events (mute verified, ...). */
  notes(): LedgerNote[];
  addSink(sink: LedgerSink): () => void;
}

export class TransparencyLedger extends TypedEmitter<LedgerEvents> implements LedgerReader {
  #entries: LedgerEntry[] = [];
  #notes: LedgerNote[] = [];
  #sinks = new Set<LedgerSink>();
  readonly #limit: number;

  constructor(opts: { limit?: number } = {}) {
    super();
    this.#limit = opts.limit ?? 1000;
  }

  addSink(sink: LedgerSink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  open(fields: Omit<LedgerEntry, 'id' | 'endedAt' | 'endReason' | 'audioBytes'>): LedgerEntry {
    const entry: LedgerEntry = { id: randomUUID(), endedAt: null, endReason: null, audioBytes: 0, ...fields };
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.shift();
    for (const sink of this.#sinks) sink.opened({ ...entry });
    this.emit('opened', { ...entry });
    return entry;
  }

  close(entry: LedgerEntry, fields: Pick<LedgerEntry, 'endedAt' | 'endReason' | 'audioBytes'>): void {
    Object.assign(entry, fields);
    for (const sink of this.#sinks) sink.closed({ ...entry });
    this.emit('closed', { ...entry });
  }

  entries(): LedgerEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  /** Records a content-free event (mute verified): kept in RAM, handed to the sinks. */
  note(kind: LedgerNoteKind, at: number, detail: LedgerNote['detail']): LedgerNote {
    const n: LedgerNote = { id: randomUUID(), kind, at, detail: { ...detail } };
    this.#notes.push(n);
    if (this.#notes.length > this.#limit) this.#notes.shift();
    for (const sink of this.#sinks) sink.noted?.({ ...n, detail: { ...n.detail } });
    this.emit('noted', { ...n });
    return n;
  }

  notes(): LedgerNote[] {
    return this.#notes.map((n) => ({ ...n, detail: { ...n.detail } }));
  }
}
