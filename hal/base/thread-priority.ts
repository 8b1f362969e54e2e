import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the calling thread only (Linux: setpriority on its thread id,
 * read from /proc/thread-self), by `steps` nice levels, capped at 19. For background
 * threads (bulk deletion) that must never take CPU from the thread serving the mic, the
 * gate and the mute button when the cores are busy. Returns the new nice value, or null
 * where it cannot be done (not Linux, no /proc): the caller runs at normal priority then.
 */
export function lowerThisThreadPriority(steps: number): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return null;
    const nice = Math.min(19, getPriority(tid) + steps);
    setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return null;
  }
}
