import type { Activity, ActivityBucket } from '../../../../src/display/protocol.ts';
import { DAY_MS, HOUR_MS, localMidnight } from '../../format.ts';

export const DAYS = 7;

/** The picture's window: local midnight six days ago up to the end of today, one bucket an hour. */
export function weekWindow(now = Date.now()): { from: number; to: number; bucketMs: number } {
  const today = localMidnight(now);
  return { from: localMidnight(today - (DAYS - 1) * DAY_MS + HOUR_MS * 2), to: today + DAY_MS, bucketMs: HOUR_MS };
}

export type Metric = 'streams' | 'seconds';

export function total(b: ActivityBucket): number {
  return Object.values(b.streams).reduce((n, v) => n + v, 0);
}

export function value(b: ActivityBucket, metric: Metric): number {
  return metric === 'streams' ? total(b) : b.audioSeconds;
}

export interface Day {
  start: number;
  hours: ActivityBucket[];
  muted: { from: number; to: number }[];
}

/** The buckets cut into days (24 each; a DST day is drawn with the hours it had). */
export function days(a: Activity): Day[] {
  const out: Day[] = [];
  for (const b of a.buckets) {
    const start = localMidnight(b.start);
    let day = out.at(-1);
    if (!day || day.start !== start) out.push((day = { start, hours: [], muted: [] }));
    day.hours.push(b);
  }
  for (const d of out) {
    const end = d.start + DAY_MS;
    d.muted = a.muted.filter((m) => m.to > d.start && m.from < end).map((m) => ({ from: Math.max(m.from, d.start), to: Math.min(m.to, end) }));
  }
  return out;
}

export function sum(buckets: readonly ActivityBucket[]): { streams: number; seconds: number; falseWakes: number } {
  return buckets.reduce((s, b) => ({ streams: s.streams + total(b), seconds: s.seconds + b.audioSeconds, falseWakes: s.falseWakes + b.falseWakes }), { streams: 0, seconds: 0, falseWakes: 0 });
}
