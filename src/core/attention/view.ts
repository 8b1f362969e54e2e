import type { Settings } from '../settings/schema.ts';
import type { MachineState } from './machine-state.ts';
import type { AttentionState, AttentionView, ViewTimer } from './types.ts';

/** What the display shows: fault over mute over activity over offline. */
export function displayState(s: MachineState, settings: Settings): AttentionState {
  if (s.fault) return 'fault';
  if (effectiveMuted(s, settings)) return 'muted';
  if (s.activity !== 'idle') return s.activity;
  if (!s.online) return 'offline';
  return 'idle';
}

/** Push-to-talk in force: the setting, or the scheduled mute with the owner's allowance. */
export function pushToTalkActive(s: MachineState, settings: Settings): boolean {
  return settings.pushToTalk || (s.scheduled && settings.scheduleAllowsPushToTalk);
}

/** The mute as shown and enforced: the owner's, or the schedule's unless a push-to-talk hold overrides it. */
export function effectiveMuted(s: MachineState, settings: Settings): boolean {
  return s.muted || (s.scheduled && !(settings.scheduleAllowsPushToTalk && s.held));
}

/** Whether the mic relay may close: not muted, and in push-to-talk only while the button is held. */
export function micPowered(s: MachineState, settings: Settings): boolean {
  if (effectiveMuted(s, settings)) return false;
  return pushToTalkActive(s, settings) ? s.held : true;
}

/** The view every feedback device renders, derived from the machine's state (copies, never shared). */
export function buildView(s: MachineState, settings: Settings, version: number): AttentionView {
  return {
    version,
    state: displayState(s, settings),
    stream: s.stream ? { ...s.stream } : null,
    lastStreamEnd: s.lastEnd ? { ...s.lastEnd } : null,
    muted: effectiveMuted(s, settings),
    softwareMute: s.softwareMute,
    paused: s.paused,
    online: s.online,
    fault: s.fault ? { ...s.fault } : null,
    followUpEndsAt: s.followUpEndsAt,
    followUpMs: s.followUpEndsAt !== null ? settings.followUpWindowMs : null,
    talkerDirection: s.talker,
    notification: s.notification ? { ...s.notification } : null,
    timers: s.serviceTimers.map((t) => ({ ...t })),
    night: s.night,
    error: s.error ? { ...s.error } : null,
    scheduledMute: s.scheduled,
    ownerMuted: s.muted,
    pushToTalk: pushToTalkActive(s, settings),
    micPowered: micPowered(s, settings),
    confirm: s.confirm ? { ...s.confirm } : null,
    notice: s.notice ? { ...s.notice } : null,
  };
}

type Flat = Record<string, unknown> | null;

function sameFlat(a: Flat, b: Flat): boolean {
  if (a === null || b === null) return a === b;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.is(a[k], b[k]));
}

function sameTimers(a: readonly ViewTimer[], b: readonly ViewTimer[]): boolean {
  return a.length === b.length && a.every((t, i) => sameFlat({ ...t }, { ...b[i]! }));
}

const SCALARS = ['state', 'muted', 'softwareMute', 'paused', 'online', 'followUpEndsAt', 'followUpMs', 'talkerDirection', 'night', 'scheduledMute', 'ownerMuted', 'pushToTalk', 'micPowered'] as const;
const OBJECTS = ['stream', 'lastStreamEnd', 'fault', 'notification', 'error', 'confirm', 'notice'] as const;

/** Field-by-field equality of two views, ignoring `version` (what counts as a change). */
export function sameView(a: AttentionView, b: AttentionView): boolean {
  return (
    SCALARS.every((k) => Object.is(a[k], b[k])) &&
    OBJECTS.every((k) => sameFlat(a[k] as Flat, b[k] as Flat)) &&
    sameTimers(a.timers, b.timers)
  );
}
