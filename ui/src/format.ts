/** Time and date wording for the owner pages, in the screen's locale. */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function localMidnight(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** "Today", "Yesterday", else "Monday 30 November". */
export function dayName(dayStart: number, now = Date.now()): string {
  const today = localMidnight(now);
  if (dayStart === today) return 'Today';
  if (dayStart === localMidnight(today - DAY_MS / 2)) return 'Yesterday';
  return new Date(dayStart).toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' });
}

export function shortDay(dayStart: number): string {
  return new Date(dayStart).toLocaleDateString([], { weekday: 'short', day: 'numeric' });
}

export function seconds(s: number): string {
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function hourRange(start: number): string {
  const h = new Date(start).getHours();
  return `${String(h).padStart(2, '0')}:00–${String((h + 1) % 24).padStart(2, '0')}:00`;
}
