import type { WireView } from '../../../src/display/protocol.ts';
import { connected, problem } from '../connection.ts';

/** Offline, paused, fault and error banners. Codes only: never a transcript. */
export function Banners({ view }: { view: WireView }) {
  const items: { kind: string; text: string }[] = [];
  if (!connected.value) items.push({ kind: 'offline', text: 'Screen lost its connection to the device — reconnecting' });
  if (!view.online || view.state === 'offline') items.push({ kind: 'offline', text: 'Offline — the voice service cannot be reached' });
  if (view.paused) items.push({ kind: 'paused', text: 'Paused — Home Assistant paused this satellite' });
  if (view.fault) items.push({ kind: 'fault', text: `Microphone fault (${view.fault.code}) — nothing will be sent` });
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
