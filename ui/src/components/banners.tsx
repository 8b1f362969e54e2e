import type { WireView } from '../../../src/display/protocol.ts';
import { connected, problem } from '../connection.ts';

/** Offline, paused, fault and error banners. Codes only: never a transcript. */
export function Banners({ view }: { view: WireView }) {
  const items: { kind: string; text: string }[] = [];
  if (!connected.value) items.push({ kind: 'offline', text: 'Screen lost its connection to the device — reconnecting' });
  if (!view.online || view.state === 'offline') items.push({ kind: 'offline', text: 'Offline — the voice service cannot be reached' });
  if (view.paused) items.push({ kind: 'paused', text: 'Paused — Home Assistant paused this satellite' });
  if (view.fault) items.push({ kind: 'fault', text: `Microphone fault (${view.fault.code}) — nothing will be sent${view.fault.latched ? ' until restart' : ''}` });
  if (view.notice) items.push({ kind: 'notice', text: `Started muted: the saved mute state could not be read (${view.notice.code}). Press mute to unmute.` });
  if (view.confirm) items.push({ kind: 'confirm', text: `Press the action button within 10 s to delete ${view.confirm.what === 'all' ? 'everything you said' : "everything you said today"}` });
  if (view.pushToTalk && !view.muted) items.push({ kind: 'ptt', text: 'Push-to-talk: hold the action button to speak' });
  if (view.state === 'error' && view.error) items.push({ kind: 'error', text: `Something went wrong (${view.error.code})` });
  if (problem.value) items.push({ kind: 'error', text: `${problem.value.code}: ${problem.value.message}` });
  if (!items.length) return null;
  return (
    <div class="banners">
      {items.map((b) => (
        <div class={`banner banner-${b.kind}`} role="alert" data-testid={`banner-${b.kind}`}>
          {b.text}
        </div>
      ))}
    </div>
  );
}
