import { dayName, plural, seconds, shortDay } from '../../format.ts';
import { sum, type Day, type Metric } from './activity-data.ts';
import { FalseWakeMark, StackedBar } from './hour-bars.tsx';

const W = 240; // 10 units per hour
const H = 40;
const BAR_H = 34;

function DayStrip({ day, metric, max }: { day: Day; metric: Metric; max: number }) {
  return (
    <svg class="day-strip" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
      {day.muted.map((m) => (
        <rect class="muted-shade" x={((m.from - day.start) / 3_600_000) * 10} y={0} width={Math.max(0.5, ((m.to - m.from) / 3_600_000) * 10)} height={H} />
      ))}
      {[6, 12, 18].map((h) => (
        <line class="hour-grid" x1={h * 10} x2={h * 10} y1={0} y2={BAR_H} />
      ))}
      {day.hours.map((b, i) => (
        <>
          <StackedBar bucket={b} metric={metric} max={max} x={i * 10 + 1.5} width={7} height={BAR_H} />
          <FalseWakeMark bucket={b} x={i * 10 + 1.5} width={7} y={BAR_H + 2} height={4} />
        </>
      ))}
      <line class="baseline" x1={0} x2={W} y1={BAR_H} y2={BAR_H} />
    </svg>
  );
}

export function daySummary(day: Day): string {
  const s = sum(day.hours);
  if (!s.streams) return day.muted.length ? 'nothing sent; microphone off for a while' : 'nothing sent';
  const parts = [plural(s.streams, 'request'), `${seconds(s.seconds)} of audio`];
  if (s.falseWakes) parts.push(plural(s.falseWakes, 'probable false wake'));
  return parts.join(', ');
}

/**
 * Seven days, one strip each, a bar per hour. A strip is one touch target (the whole
 * row): tapping it opens that day; where the finger lands picks the hour too.
 */
export function WeekChart({ days, metric, max, selected, onPick }: { days: Day[]; metric: Metric; max: number; selected: number | null; onPick(day: number, hour: number | null): void }) {
  return (
    <div class="week-chart" role="group" aria-label="Last 7 days, a bar per hour">
      {days.map((d) => (
        <button
          type="button"
          class="day-row"
          aria-pressed={selected === d.start}
          data-testid="day-row"
          onClick={(e) => {
            const strip = (e.currentTarget as HTMLElement).querySelector('svg')!.getBoundingClientRect();
            // A keyboard press has no pointer position: open the day only.
            const hour = e.detail === 0 ? null : Math.floor(((e.clientX - strip.left) / strip.width) * 24);
            onPick(d.start, hour !== null && hour >= 0 && hour < 24 ? hour : null);
          }}
        >
          <span class="day-label">{dayName(d.start) === 'Today' ? 'Today' : shortDay(d.start)}</span>
          {/* The button's name starts with what it shows (speech input users say what they see). */}
          <span class="visually-hidden">, {daySummary(d)}</span>
          <DayStrip day={d} metric={metric} max={max} />
        </button>
      ))}
      <div class="hour-axis" aria-hidden="true">
        <span>0</span>
        <span>6</span>
        <span>12</span>
        <span>18</span>
        <span>24</span>
      </div>
    </div>
  );
}
