import type { Activity, WireView } from '../../../src/display/protocol.ts';
import { request } from '../connection.ts';
import { DAY_MS, localMidnight, plural } from '../format.ts';
import { go, settingsRevision } from '../navigation.ts';
import { keepsNothing } from '../pages/activity/retention.tsx';
import { useLoad } from '../use-load.ts';
import { total } from '../pages/activity/activity-data.ts';

function micWords(v: WireView): string {
  if (v.fault) return 'Mic fault — nothing is sent';
  if (v.muted) return 'Mic off';
  return 'Mic on';
}

/** "Mic on · 3 requests today · nothing saved": one line of truth that opens the activity page. */
export function PrivacyStatus({ view }: { view: WireView }) {
  const today = localMidnight(Date.now());
  const count = useLoad(
    () => request<Activity>({ op: 'activity', from: today, to: today + DAY_MS, bucketMs: DAY_MS }).then((a) => a.buckets.reduce((n, b) => n + total(b), 0)),
    [today, view.lastStreamEnd?.id],
  ).data;
  const settings = useLoad(() => request<Record<string, unknown>>({ op: 'get-settings' }), [settingsRevision.value]).data;
  const parts = [micWords(view)];
  if (count !== null) parts.push(`${plural(count, 'request')} today`);
  if (settings) parts.push(keepsNothing(settings) ? 'nothing saved' : 'recordings saved');
  return (
    <button type="button" class="privacy-status" data-testid="privacy-status" onClick={() => go('activity')}>
      <span class={`status-dot ${view.muted || view.fault ? 'off' : 'on'}`} aria-hidden="true" />
      {parts.join(' · ')}
      <span class="visually-hidden"> — open the activity page</span>
    </button>
  );
}
