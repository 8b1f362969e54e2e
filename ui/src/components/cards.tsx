import type { WireView } from '../../../src/display/protocol.ts';
import { exchange } from '../connection.ts';

const CARD_STATES = new Set(['thinking', 'speaking', 'follow-up']);
const LAST_STATES = new Set(['idle', 'muted', 'offline', 'notification']);

/**
 * What the owner said and what came back: live while the device answers, then as "Last
 * reply" on Home until the next request or a deletion (the words live in page memory
 * only). Rendered as text nodes: never parsed as HTML.
 */
export function ResponseCard({ view }: { view: WireView }) {
  const ex = exchange.value;
  const live = CARD_STATES.has(view.state);
  if (!ex || (!live && !LAST_STATES.has(view.state))) return null;
  if (!live && ex.response === null && ex.transcript === null) return null;
  return (
    <section class={`card response-card ${live ? '' : 'last-reply'}`} aria-label={live ? 'Response' : 'Last reply'}>
      {!live && <div class="card-kind">Last reply</div>}
      {ex.transcript !== null && (
        <p class="transcript" data-testid="transcript">
          “{ex.transcript}”
        </p>
      )}
      {ex.response !== null && (
        <p class="response" data-testid="response">
          {ex.response}
        </p>
      )}
    </section>
  );
}

const KIND_LABEL = { timer: 'Timer', announcement: 'Announcement', notification: 'Notification' } as const;

export function NotificationCard({ view }: { view: WireView }) {
  if (!view.notification) return null;
  return (
    <section class={`card notification-card kind-${view.notification.kind}`} role="status" aria-label={KIND_LABEL[view.notification.kind]}>
      <div class="card-kind">{KIND_LABEL[view.notification.kind]}</div>
      <div class="card-label">{view.notification.label}</div>
    </section>
  );
}
