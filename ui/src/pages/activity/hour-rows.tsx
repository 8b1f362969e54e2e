import type { LedgerRow } from '../../../../src/display/protocol.ts';
import { request } from '../../connection.ts';
import { clockTime, hourRange, seconds } from '../../format.ts';
import { TriggerIcon } from '../../components/trigger-icon.tsx';
import { triggerLabel } from '../../triggers.ts';
import { useLoad } from '../../use-load.ts';

/** Why a stream ended, in words (the ledger keeps the code; an unknown code is shown as it is). */
const END: Record<string, string> = {
  processed: 'the service had the request',
  'end-of-speech': 'you stopped speaking',
  'max-duration': 'longest allowed',
  'no-speech': 'nobody spoke',
  'follow-up-expired': 'follow-up ended',
  mute: 'you muted',
  'service-lost': 'service lost',
  'service-error': 'service error',
  'indicator-failed': 'the light could not be shown',
  fault: 'microphone fault',
  'button-stop': 'you pressed the button',
  paused: 'Home Assistant paused',
  'barge-in': 'interrupted',
  shutdown: 'device stopped',
};

function Row({ r }: { r: LedgerRow }) {
  // Seconds from the bytes actually sent (16 kHz, 16-bit mono), not from the wall clock.
  const audio = r.audioBytes / 32_000;
  return (
    <li class="ledger-row" data-testid="ledger-row">
      <TriggerIcon trigger={r.trigger} />
      <div class="ledger-main">
        <div>
          <strong>{clockTime(r.startedAt)}</strong> · {triggerLabel(r.trigger)}
          {r.wakeWord ? ` “${r.wakeWord}”` : ''}
        </div>
        <div class="muted">
          <span data-testid="ledger-duration">{r.endedAt === null ? 'still open' : `${seconds(audio)} of audio, incl. ${r.preRollMs} ms before the trigger`}</span> · to {r.destination} · {r.endReason ? (END[r.endReason] ?? r.endReason) : '—'}
        </div>
      </div>
    </li>
  );
}

/** The ledger rows of one hour: what the bar stands for, row by row. */
export function HourRows({ start }: { start: number }) {
  const { data, error } = useLoad(() => request<LedgerRow[]>({ op: 'list-ledger', from: start, to: start + 3_600_000, limit: 200, offset: 0 }), [start]);
  return (
    <section class="hour-rows" aria-label={`What left this device ${hourRange(start)}`}>
      <h3>{hourRange(start)}</h3>
      {error ? <p role="alert">Activity unavailable ({error})</p> : !data ? <p>Loading…</p> : !data.length ? <p>Nothing left this device in this hour.</p> : (
        <ul class="ledger-list">
          {data.map((r) => (
            <Row r={r} />
          ))}
        </ul>
      )}
    </section>
  );
}
