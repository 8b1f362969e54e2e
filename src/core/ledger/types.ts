import type { StreamEndReason, Trigger } from '../attention/types.ts';

/**
 * One transparency-ledger entry per stream: what left this device, when, why, to whom,
 * for how long. Never contains audio or transcripts.
 */
export interface LedgerEntry {
  id: string;
  streamId: number;
  /** Wall-clock epoch ms. */
  startedAt: number;
  endedAt: number | null;
  trigger: Trigger;
  wakeWord: string | null;
  /** Pre-roll actually sent, in ms (the configured value unless the mic had just opened). */
  preRollMs: number;
  /** Bytes of audio that left (16 kHz mono int16), counted where they were written. */
  audioBytes: number;
  destination: string;
  endReason: StreamEndReason | null;
  deviceId: string;
}

/** How long the sent audio lasts (pre-roll included): derived from the bytes, never from the clock. */
export function audioMsOf(audioBytes: number): number {
  return Math.round(audioBytes / 32);
}

/**
 * A content-free ledger event that is not a stream: the mute was verified deaf, or a
 * deletion happened (the receipt). `detail` holds counts and codes only.
 */
export type LedgerNoteKind = 'mute-verified' | 'receipt';
export interface LedgerNote {
  id: string;
  kind: LedgerNoteKind;
  /** Wall-clock epoch ms. */
  at: number;
  detail: Record<string, string | number | boolean | null>;
}

/** Somewhere entries are kept beyond memory (the history store implements this). */
export interface LedgerSink {
  opened(entry: LedgerEntry): void;
  closed(entry: LedgerEntry): void;
  noted?(note: LedgerNote): void;
}
