import type { Settings } from '../core/settings/schema.ts';

/**
 * The instants deletion paths cut at. Months are calendar months (UTC), as an owner reads
 * "older than 3 months"; "today" is since local midnight, as the owner's clock shows it.
 */
export function retentionCutoff(retention: Settings['retention'], now: number): number | null {
  if (retention === 'keep') return null;
  const months = retention === '3-months' ? 3 : 18;
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

export function startOfLocalDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}
