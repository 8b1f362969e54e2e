import type { RecordingSummary } from '../../../../src/display/protocol.ts';
import { clockTime, seconds } from '../../format.ts';
import { TriggerIcon } from '../../components/trigger-icon.tsx';
import { triggerLabel } from '../../triggers.ts';

export interface ItemActions {
  play(id: string): void;
  remove(id: string): void;
  notMeant(id: string): void;
}

/** One request in the voice history: when, how it started, how long, what was said. */
export function RecordingItem({ r, actions }: { r: RecordingSummary; actions: ItemActions }) {
  const at = clockTime(r.startedAt);
  return (
    <li class={`recording ${r.falseWake ? 'false-wake' : ''}`} data-testid="recording">
      <TriggerIcon trigger={r.trigger} />
      <div class="rec-main">
        <div class="rec-meta">
          <strong>{at}</strong> · {triggerLabel(r.trigger)}
          {r.durationMs !== null && r.durationMs > 0 ? ` · ${seconds(r.durationMs / 1000)}` : ''}
          {r.deviceId !== 'tally' ? ` · ${r.deviceId}` : ''}
        </div>
        {r.transcript !== null ? <div class="rec-text">{r.transcript}</div> : <div class="rec-text muted">no transcript</div>}
        {r.falseWake && (
          <div class="false-wake-flag" data-testid="false-wake-flag">
            Probably a false wake — nothing was said after it
          </div>
        )}
      </div>
      <div class="rec-actions">
        {r.falseWake && (
          <button type="button" onClick={() => actions.notMeant(r.id)} aria-label={`Not meant for me: delete the request from ${at}`}>
            Not meant for me
          </button>
        )}
        {r.hasAudio && (
          <button type="button" aria-label={`Play recording from ${at}`} onClick={() => actions.play(r.id)}>
            Play
          </button>
        )}
        <button type="button" class="danger" aria-label={`Delete recording from ${at}`} onClick={() => actions.remove(r.id)}>
          Delete
        </button>
      </div>
    </li>
  );
}
