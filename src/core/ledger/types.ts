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
  audioBytes: number;
  destination: string;
  endReason: StreamEndReason | null;
  deviceId: string;
}

/** Somewhere entries are kept beyond memory (the history store implements this). */
export interface LedgerSink {
  opened(entry: LedgerEntry): void;
  closed(entry: LedgerEntry): void;
}
