import { hourRange, plural, seconds } from '../../format.ts';
import { orderedTriggers, triggerLabel } from '../../triggers.ts';
import { total, type Day, type Metric } from './activity-data.ts';
import { FalseWakeMark, StackedBar } from './hour-bars.tsx';

/** What the bar stands for, after the visible hour number: ":00–15:00, 2 requests (…), 3.2 s of audio". */
function hourDetail(b: Day['hours'][number], mutedAll: boolean): string {
  const n = total(b);
  const parts = [hourRange(b.start).slice(2)];
  if (!n) parts.push(mutedAll ? 'microphone off' : 'nothing sent');
  else {
    parts.push(`${plural(n, 'request')} (${orderedTriggers(b.streams).map((t) => `${triggerLabel(t).toLowerCase()} ${b.streams[t]}`).join(', ')})`);
    parts.push(`${seconds(b.audioSeconds)} of audio`);
  }
  if (b.falseWakes) parts.push(plural(b.falseWakes, 'probable false wake'));
  return parts.join(', ');
}

/** One day as 24 tappable bars in two rows of twelve (each at least 48 px wide at 800 px). */
export function DayChart({ day, metric, selected, onPick }: { day: Day; metric: Metric; selected: number | null; onPick(hourStart: number): void }) {
  const max = Math.max(1e-9, ...day.hours.map((b) => (metric === 'streams' ? total(b) : b.audioSeconds)));
  const mutedIn = (start: number) => day.muted.some((m) => m.from < start + 3_600_000 && m.to > start);
  const mutedAll = (start: number) => day.muted.some((m) => m.from <= start && m.to >= start + 3_600_000);
  return (
    <div class="day-chart" role="group" aria-label="Hours of the chosen day">
      {day.hours.map((b) => (
        <button
          type="button"
          class={`hour-bar ${mutedIn(b.start) ? 'was-muted' : ''}`}
          aria-pressed={selected === b.start}
          data-testid="hour-bar"
          data-streams={total(b)}
          onClick={() => onPick(b.start)}
        >
          <svg viewBox="0 0 10 44" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <StackedBar bucket={b} metric={metric} max={max} x={1.5} width={7} height={36} />
            <FalseWakeMark bucket={b} x={1.5} width={7} y={39} height={5} />
          </svg>
          <span class="hour-num">
            {String(new Date(b.start).getHours()).padStart(2, '0')}
            <span class="visually-hidden">{hourDetail(b, mutedAll(b.start))}</span>
          </span>
        </button>
      ))}
    </div>
  );
}
