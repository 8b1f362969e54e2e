import type { ToneName } from '../../../hal/tone-player.ts';
import type { AttentionView } from '../attention/types.ts';
import type { Settings } from '../settings/schema.ts';

/**
 * Which tones a state change plays: a pure function of (previous view, next view,
 * settings). Start/end-of-request tones are settings (default on); mute tones and the
 * error tone always play.
 */
const END_TONE_REASONS = new Set(['processed', 'end-of-speech', 'max-duration']);

export function tonesFor(prev: AttentionView, next: AttentionView, settings: Pick<Settings, 'startTone' | 'endTone'>): ToneName[] {
  const tones: ToneName[] = [];
  if (prev.muted !== next.muted) tones.push(next.muted ? 'mute-on' : 'mute-off');
  const opened = next.stream && next.stream.id !== prev.stream?.id;
  // Every stream, follow-up included: a tone any time audio is sent (as Echo does).
  if (opened && settings.startTone) tones.push('start');
  const closed = next.lastStreamEnd && next.lastStreamEnd.id !== prev.lastStreamEnd?.id;
  if (closed && settings.endTone && END_TONE_REASONS.has(next.lastStreamEnd!.reason)) tones.push('end');
  if (next.state === 'error' && prev.state !== 'error') tones.push('error');
  if (next.state === 'notification' && prev.state !== 'notification') tones.push('chime');
  return tones;
}

/** The red mute LED: on exactly while muted (the relay contact drives it in hardware too). */
export function muteLedOn(view: AttentionView): boolean {
  return view.muted;
}
