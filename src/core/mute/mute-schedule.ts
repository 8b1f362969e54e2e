import type { Settings } from '../settings/schema.ts';

/**
 * The owner's scheduled hardware mute ("23:00–07:00"): whether a wall-clock instant falls
 * inside it, in local time. `from` after `to` spans midnight; equal times mean all day.
 * Pure, so the device checks it at boot (before the mic can open) and on a timer.
 */
export type MuteSchedule = NonNullable<Settings['muteSchedule']>;

/** How often the device re-checks the schedule: a boundary is honoured within this. */
export const SCHEDULE_CHECK_MS = 15_000;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function inMuteSchedule(schedule: Settings['muteSchedule'], wallMs: number): boolean {
  if (!schedule) return false;
  const d = new Date(wallMs);
  const now = d.getHours() * 60 + d.getMinutes();
  const from = minutes(schedule.from);
  const to = minutes(schedule.to);
  if (from === to) return true;
  return from < to ? now >= from && now < to : now >= from || now < to;
}
