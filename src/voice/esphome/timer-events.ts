import { VoiceAssistantTimerEvent, type VoiceAssistantTimerEventResponse } from './generated/api_pb.ts';
import type { SatelliteTimers } from '../wyoming/timers.ts';

/** HA's timer events (spec §7.2) onto the shared local countdowns; returns what rings, if anything. */
export function applyTimerEvent(timers: SatelliteTimers, ev: VoiceAssistantTimerEventResponse): { name: string | null } | null {
  const id = ev.timerId.slice(0, 128);
  if (!id) return null;
  const secs = (n: number) => (Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), 7 * 86400) : 0);
  switch (ev.eventType) {
    case VoiceAssistantTimerEvent.VOICE_ASSISTANT_TIMER_STARTED:
      timers.started(id, secs(ev.secondsLeft || ev.totalSeconds), ev.name ? ev.name.slice(0, 64) : null);
      return null;
    case VoiceAssistantTimerEvent.VOICE_ASSISTANT_TIMER_UPDATED:
      timers.updated(id, ev.isActive, secs(ev.secondsLeft));
      return null;
    case VoiceAssistantTimerEvent.VOICE_ASSISTANT_TIMER_CANCELLED:
      timers.cancelled(id);
      return null;
    case VoiceAssistantTimerEvent.VOICE_ASSISTANT_TIMER_FINISHED:
      // Rings even for a timer started before we connected.
      return { name: timers.finished(id)?.name ?? (ev.name || null) };
    default:
      return null;
  }
}
