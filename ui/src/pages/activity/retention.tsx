import { request } from '../../connection.ts';
import { settingsRevision } from '../../navigation.ts';
import { useLoad } from '../../use-load.ts';

const KEPT: Record<string, string> = { keep: 'until you delete them', '3-months': 'for 3 months', '18-months': 'for 18 months' };

export function keepsNothing(s: Record<string, unknown>): boolean {
  return Boolean(s.dontSave) || !s.saveRecordings;
}

/** How long what was sent is kept here: the other half of "for how long". */
export function Retention() {
  const { data } = useLoad(() => request<Record<string, unknown>>({ op: 'get-settings' }), [settingsRevision.value]);
  if (!data) return null;
  const text = keepsNothing(data)
    ? 'No recordings or transcripts are kept on this device.'
    : `Recordings and transcripts are kept on this device ${KEPT[String(data.retention)] ?? String(data.retention)}.`;
  return (
    <p class="muted" data-testid="retention">
      {text} The voice service receives audio only while the blue light is on.
    </p>
  );
}
