/** How each trigger is drawn and named on the owner pages (colour is never the only cue). */
export const TRIGGER_ORDER = ['wake', 'button', 'follow-up', 'service'] as const;
export const TRIGGER_LABEL: Record<string, string> = { wake: 'Wake word', button: 'Button', 'follow-up': 'Follow-up', service: 'Home Assistant' };

export function triggerLabel(t: string | null): string {
  return t === null ? 'Unknown trigger' : (TRIGGER_LABEL[t] ?? t);
}

/** Order the stacks: known triggers first, in one fixed order, then any the device adds later. */
export function orderedTriggers(streams: Record<string, number>): string[] {
  const known = TRIGGER_ORDER.filter((t) => streams[t]);
  return [...known, ...Object.keys(streams).filter((t) => !(TRIGGER_ORDER as readonly string[]).includes(t) && streams[t])];
}
