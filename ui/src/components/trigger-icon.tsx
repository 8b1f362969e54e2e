/**
 * One small icon per trigger. Decorative (aria-hidden): the label beside it names the
 * trigger, so the icon is never the only cue.
 */
const PATHS: Record<string, string> = {
  // a spoken word: sound waves
  wake: 'M4 10v4M8 7v10M12 4v16M16 7v10M20 10v4',
  // a pressed button: a ring with a dot
  button: 'M12 3a9 9 0 1 0 0.01 0M12 9a3 3 0 1 0 0.01 0',
  // a conversation that goes on: a looping arrow
  'follow-up': 'M5 12a7 7 0 0 1 12-5l2 2M19 5v4h-4M19 12a7 7 0 0 1-12 5l-2-2M5 19v-4h4',
  // the voice service asked: a house
  service: 'M3 11l9-8 9 8M6 9v11h12V9',
};

export function TriggerIcon({ trigger }: { trigger: string | null }) {
  const d = PATHS[trigger ?? ''] ?? 'M12 4v10M12 18v2';
  return (
    <svg class={`trigger-icon trigger-${trigger ?? 'unknown'}`} viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
