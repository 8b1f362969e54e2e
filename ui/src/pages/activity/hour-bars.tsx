import type { ActivityBucket } from '../../../../src/display/protocol.ts';
import { orderedTriggers } from '../../triggers.ts';
import { total, type Metric } from './activity-data.ts';

/**
 * One hour's bar in SVG: stacked by trigger, scaled against the busiest hour in view.
 * Seconds of audio are split across triggers in proportion to their streams (the
 * ledger's per-stream seconds add up per hour; the split is for colour only).
 */
export function StackedBar({ bucket, metric, max, x, width, height }: { bucket: ActivityBucket; metric: Metric; max: number; x: number; width: number; height: number }) {
  const n = total(bucket);
  if (!n || max <= 0) return null;
  const whole = metric === 'streams' ? n : bucket.audioSeconds;
  // A bar with any stream is at least visible (a 0.1 s stream next to a 60 s one).
  const full = Math.max(height * 0.08, (whole / max) * height);
  let y = height;
  return (
    <>
      {orderedTriggers(bucket.streams).map((t) => {
        const h = (bucket.streams[t]! / n) * full;
        y -= h;
        return <rect class={`bar-seg seg-${t}`} x={x} y={y} width={width} height={h} />;
      })}
    </>
  );
}

/** A false-wake tick under the bar. */
export function FalseWakeMark({ bucket, x, width, y, height }: { bucket: ActivityBucket; x: number; width: number; y: number; height: number }) {
  if (!bucket.falseWakes) return null;
  return <rect class="false-wake-mark" x={x} y={y} width={width} height={height} />;
}
