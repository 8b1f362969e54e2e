import type { Settings } from '../settings/schema.ts';
import type { MachineState } from './machine-state.ts';
import type { AttentionState, AttentionView, ViewTimer } from './types.ts';

/** What the display shows: fault over mute over activity over offline. */
export function displayState(s: MachineState): AttentionState {
  if (s.fault) return 'fault';
  if (s.muted) return 'muted';
  if (s.activity !== 'idle') return s.activity;
  if (!s.online) return 'offline';
  return 'idle';
}

/** The view every feedback device renders, derived from the machine's state (copies, never shared). */
export function buildView(s: MachineState, settings: Settings, version: number): AttentionView {
  return {
    version,
    state: displayState(s),
    stream: s.stream ? { ...s.stream } : null,
    lastStreamEnd: s.lastEnd ? { ...s.lastEnd } : null,
    muted: s.muted,
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

const SCALARS = ['state', 'muted', 'softwareMute', 'paused', 'online', 'followUpEndsAt', 'followUpMs', 'talkerDirection', 'night'] as const;
const OBJECTS = ['stream', 'lastStreamEnd', 'fault', 'notification', 'error'] as const;

/** Field-by-field equality of two views, ignoring `version` (what counts as a change). */
export function sameView(a: AttentionView, b: AttentionView): boolean {
  return (
    SCALARS.every((k) => Object.is(a[k], b[k])) &&
    OBJECTS.every((k) => sameFlat(a[k] as Flat, b[k] as Flat)) &&
    sameTimers(a.timers, b.timers)
  );
}
