import type { AttentionView, OpenStreamInfo } from './types.ts';

/**
 * Everything the attention machine remembers, as one plain immutable value: the pure
 * transition function maps (state, event) to the next state plus effects.
 *
 * Activity (idle / listening / thinking / speaking / follow-up / error / notification) is
 * separate from the conditions that override it (fault, mute, pause, offline); the
 * displayed state is derived, so e.g. unmuting while offline shows offline, not a stale
 * activity.
 */
export type Activity = 'idle' | 'listening' | 'thinking' | 'speaking' | 'follow-up' | 'error' | 'notification';

/** The machine's timers. Each one's expiry comes back as a `timer` input. */
export type TimerName = 'max-duration' | 'no-speech' | 'follow-up' | 'thinking' | 'error' | 'notification' | 'confirm';

/** Timers that belong to an activity and end with it. */
export const ACTIVITY_TIMERS: readonly TimerName[] = ['thinking', 'error', 'notification', 'follow-up'];
export const ALL_TIMERS: readonly TimerName[] = ['max-duration', 'no-speech', 'follow-up', 'thinking', 'error', 'notification', 'confirm'];

export interface MachineState {
  readonly activity: Activity;
  readonly muted: boolean;
  readonly softwareMute: boolean;
  readonly paused: boolean;
  readonly online: boolean;
  readonly fault: AttentionView['fault'];
  readonly stream: OpenStreamInfo | null;
  readonly lastEnd: AttentionView['lastStreamEnd'];
  readonly followUpEndsAt: number | null;
  readonly speechHeard: boolean;
  readonly lastResponseEndAt: number;
  readonly notification: AttentionView['notification'];
  readonly talker: number | null;
  readonly night: boolean;
  readonly serviceTimers: AttentionView['timers'];
  readonly error: AttentionView['error'];
  readonly nextStreamId: number;
  /** Inside the owner's scheduled mute hours. */
  readonly scheduled: boolean;
  /** The action button is held down (push-to-talk). */
  readonly held: boolean;
  /** A dangerous voice command waits for the action button. */
  readonly confirm: AttentionView['confirm'];
  /** Why the device started muted, when it was not the owner's choice (a corrupt mute file). */
  readonly notice: AttentionView['notice'];
}

export function initialMachineState(opts: { muted: boolean; softwareMute: boolean; online: boolean; night: boolean; scheduled?: boolean; notice?: AttentionView['notice'] }): MachineState {
  return {
    activity: 'idle',
    muted: opts.muted,
    softwareMute: opts.softwareMute,
    paused: false,
    online: opts.online,
    fault: null,
    stream: null,
    lastEnd: null,
    followUpEndsAt: null,
    speechHeard: false,
    lastResponseEndAt: -Infinity,
    notification: null,
    talker: null,
    night: opts.night,
    serviceTimers: [],
    error: null,
    nextStreamId: 1,
    scheduled: opts.scheduled ?? false,
    held: false,
    confirm: null,
    notice: opts.notice ?? null,
  };
}

/** What a transition asks the world to do; the machine shell carries it out. */
export type MachineEffect =
  | { kind: 'set-timer'; name: TimerName; ms: number }
  | { kind: 'clear-timer'; name: TimerName }
  /** An input that was refused (e.g. button while muted): the device plays the error tone. */
  | { kind: 'refused'; code: string }
  /** The owner pressed the action button for a pending dangerous command. */
  | { kind: 'confirmed'; what: string }
  /** Nobody confirmed in time. */
  | { kind: 'confirm-expired'; what: string };
