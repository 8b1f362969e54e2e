import type { Emitter } from '../../hal/base/typed-emitter.ts';
import type { AttentionEvent, AttentionView } from './attention/types.ts';
import type { LedgerEntry } from './ledger/types.ts';
import type { LedgerReader } from './ledger/transparency-ledger.ts';
import type { IndicatorSink } from './ports/indicator-sink.ts';
import type { Settings } from './settings/schema.ts';
import type { Clock } from '../../hal/base/clock.ts';

/**
 * The running device, as the outside (CLI, screen bridge, history store, tests) sees it:
 * what consumers may do, not its parts (no microphone, no voice-service stream).
 */
export interface ClosedStream {
  entry: LedgerEntry;
  /** Exactly the audio that was sent, 16 kHz mono int16 (kept in RAM only until handed over). */
  audio: Int16Array;
}

export interface DeviceEvents {
  [event: string]: unknown[];
  change: [view: AttentionView];
  'stream-closed': [stream: ClosedStream];
  /** The owner's words for a stream: never logged; for history and screen only. */
  transcript: [streamId: number, text: string];
  'response-text': [streamId: number, text: string];
  /** A problem worth telling the owner about (code only). */
  problem: [code: string, message: string];
  /** The action button confirmed (or nobody confirmed in time) a dangerous voice command. */
  confirmed: [what: string];
  'confirm-expired': [what: string];
}

export interface Device extends Emitter<DeviceEvents> {
  readonly view: AttentionView;
  readonly settings: Settings;
  /** What left the device this boot (read, subscribe, persist): never a way to send. */
  readonly ledger: LedgerReader;
  /** Where requests go, as the terminal and screen name it (e.g. "SIMULATED voice service"). */
  readonly voiceLabel: string;
  readonly clock: Clock;
  readonly boardName: string;
  /** Feeds an event into the attention machine (button presses, mute, ...). */
  send(event: AttentionEvent): void;
  /** Attaches an indicator (the screen); returns detach. While attached, its ack is required. */
  attachIndicator(sink: IndicatorSink): () => void;
  /**
   * The device answered this request itself (a privacy command, "thank you"): the voice
   * service's spoken reply to it is not played (it is still acknowledged as played).
   */
  dropReply(streamId: number): void;
  /** A confirmation the device gives by itself (privacy command done / failed), through its speaker. */
  chime(tone: 'chime' | 'error'): void;
  /** Applies changed settings at run time (the history store's settings). */
  updateSettings(patch: Partial<Settings>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
