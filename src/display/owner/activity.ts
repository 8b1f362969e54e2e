import type { Activity, ActivityBucket, LedgerRow } from '../protocol.ts';

/** 16 kHz, 16-bit mono: the only format the gate sends. */
const BYTES_PER_SECOND = 16_000 * 2;

export interface ActivityInput {
  from: number;
  to: number;
  bucketMs: number;
  ledger: readonly Pick<LedgerRow, 'startedAt' | 'trigger' | 'audioBytes'>[];
  /** Start times of requests flagged as probable false wakes. */
  falseWakes: readonly number[];
  muted: readonly { from: number; to: number }[];
  mutedKnownSince: number;
  truncated: boolean;
}

/**
 * The activity picture's numbers: per bucket (an hour), how many streams left the device
 * by trigger, how many seconds of audio they carried, and how many were probable false
 * wakes. Pure, so the e2e test and the unit test check the same arithmetic.
 */
export function bucketActivity(input: ActivityInput): Activity {
  const { from, to, bucketMs } = input;
  const count = Math.max(0, Math.ceil((to - from) / bucketMs));
  const buckets: ActivityBucket[] = Array.from({ length: count }, (_, i) => ({ start: from + i * bucketMs, streams: {}, audioSeconds: 0, falseWakes: 0 }));
  const at = (t: number): ActivityBucket | undefined => (t >= from && t < to ? buckets[Math.floor((t - from) / bucketMs)] : undefined);
  for (const row of input.ledger) {
    const b = at(row.startedAt);
    if (!b) continue;
    b.streams[row.trigger] = (b.streams[row.trigger] ?? 0) + 1;
    b.audioSeconds = round1(b.audioSeconds + row.audioBytes / BYTES_PER_SECOND);
  }
  for (const t of input.falseWakes) {
    const b = at(t);
    if (b) b.falseWakes++;
  }
  const muted = input.muted
    .map((m) => ({ from: Math.max(from, m.from), to: Math.min(to, m.to) }))
    .filter((m) => m.to > m.from);
  return { from, to, bucketMs, buckets, muted, mutedKnownSince: input.mutedKnownSince, truncated: input.truncated };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
