import { useEffect, useRef, useState } from 'preact/hooks';
import type { Activity } from '../../../../src/display/protocol.ts';
import { request, view } from '../../connection.ts';
import { clockTime, dayName, plural, seconds } from '../../format.ts';
import { settingsRevision } from '../../navigation.ts';
import { useLoad } from '../../use-load.ts';
import { days, sum, total, value, weekWindow, type Metric } from './activity-data.ts';
import { DayChart } from './day-chart.tsx';
import { HourRows } from './hour-rows.tsx';
import { PrivacyProofs } from './privacy-proofs.tsx';
import { Retention } from './retention.tsx';
import { WeekChart } from './week-chart.tsx';

function Legend() {
  return (
    <ul class="legend" aria-label="Legend">
      <li><span class="swatch seg-wake" aria-hidden="true" />Wake word</li>
      <li><span class="swatch seg-button" aria-hidden="true" />Button</li>
      <li><span class="swatch seg-follow-up" aria-hidden="true" />Follow-up</li>
      <li><span class="swatch seg-service" aria-hidden="true" />Home Assistant</li>
      <li><span class="swatch false-wake-mark" aria-hidden="true" />Probable false wake</li>
      <li><span class="swatch muted-shade" aria-hidden="true" />Microphone off</li>
    </ul>
  );
}

/** "When did this device send audio this week?" — answered as a picture, then row by row. */
export function ActivityPage() {
  const [metric, setMetric] = useState<Metric>('streams');
  const [day, setDay] = useState<number | null>(null);
  const [hour, setHour] = useState<number | null>(null);
  // Reload after every stream and every mute change: the picture is live.
  const v = view.value;
  const detail = useRef<HTMLElement>(null);
  // On a 7-inch screen the chosen day's hours are below the fold: bring them into view.
  useEffect(() => {
    if (day === null) return;
    const el = detail.current;
    const scroller = el?.closest('.page');
    if (!el || !scroller) return;
    // Only the page scrolls (scrollIntoView would also scroll the stage and hide the page bar).
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    const top = el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 8;
    scroller.scrollTo({ top, behavior: still ? 'auto' : 'smooth' });
  }, [day]);
  const { data, error } = useLoad(() => request<Activity>({ op: 'activity', ...weekWindow() }), [v?.lastStreamEnd?.id, v?.muted, settingsRevision.value]);
  if (error) return <p role="alert">Activity unavailable ({error})</p>;
  if (!data) return <p>Loading…</p>;
  // Newest first: today is what an owner looks for, and it is on screen without scrolling.
  const week = days(data).reverse();
  const totals = sum(data.buckets);
  const max = Math.max(1e-9, ...data.buckets.map((b) => value(b, metric)));
  const chosen = week.find((d) => d.start === day) ?? null;
  const pick = (d: number, h: number | null) => {
    setDay(d);
    const start = h === null ? null : (week.find((x) => x.start === d)?.hours[h]?.start ?? null);
    setHour(start);
  };
  return (
    <div class="activity">
      <div class="activity-head">
        <p class="activity-summary" data-testid="activity-summary">
          Last 7 days: {plural(totals.streams, 'request')}, {seconds(totals.seconds)} of audio sent{totals.falseWakes ? `, ${plural(totals.falseWakes, 'probable false wake')}` : ''}.
        </p>
        <div class="segmented" role="group" aria-label="Bar height">
          <button type="button" aria-pressed={metric === 'streams'} onClick={() => setMetric('streams')}>Requests</button>
          <button type="button" aria-pressed={metric === 'seconds'} onClick={() => setMetric('seconds')}>Seconds</button>
        </div>
      </div>
      <WeekChart days={week} metric={metric} max={max} selected={day} onPick={pick} />
      <Legend />
      <Retention />
      <PrivacyProofs revision={v?.lastStreamEnd?.id} />
      <p class="muted small-note">
        Microphone-off periods are known since {dayName(data.mutedKnownSince)} {clockTime(data.mutedKnownSince)} (kept in memory only, never on disk).
        {data.truncated ? ' A very busy week: the picture shows the newest 20,000 requests.' : ''}
      </p>
      {chosen && (
        <section class="day-detail" ref={detail} aria-label={`${dayName(chosen.start)}, hour by hour`}>
          <h2>
            {dayName(chosen.start)} · {plural(sum(chosen.hours).streams, 'request')}
            {sum(chosen.hours).falseWakes ? ` · ${plural(sum(chosen.hours).falseWakes, 'probable false wake')}` : ''}
          </h2>
          <DayChart day={chosen} metric={metric} selected={hour} onPick={setHour} />
          {hour !== null && <HourRows start={hour} />}
          {hour === null && chosen.hours.some((b) => total(b) > 0) && <p class="muted">Tap an hour to see each request.</p>}
        </section>
      )}
      {!chosen && <p class="muted">Tap a day (or the bar of an hour) to see it hour by hour.</p>}
    </div>
  );
}
