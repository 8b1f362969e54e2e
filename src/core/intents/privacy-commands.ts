/**
 * The privacy voice commands, recognised on the device from the transcript (wyoming.md is
 * silent; this is ours): "delete what I just said", "delete everything I said today",
 * "delete everything I said". Pure: text in, command or null out. Matching is strict on
 * purpose — a false positive deletes history — so the whole utterance must be the
 * command, give or take politeness, the wake word and punctuation.
 */
import { normaliseUtterance } from './utterance.ts';

export type PrivacyCommand = { kind: 'last' | 'today' | 'all' };

const POLITE = /\b(please|could you|can you|would you|kindly|now|thanks|thank you)\b/g;
const LEADING_WAKE = /^(hey |ok |okay )?(alexa|computer|jarvis|nabu|tally)\b/;

function normalise(text: string): string {
  return normaliseUtterance(text)
    .replace(LEADING_WAKE, '')
    .replace(POLITE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const VERB = '(?:delete|erase|forget|remove)';
const I_SAID = "(?:i (?:just )?(?:said|asked|say)|i've said|you heard)";
const PATTERNS: [RegExp, PrivacyCommand['kind']][] = [
  [new RegExp(`^${VERB} (?:what|everything|all|all that) ${I_SAID} today$`), 'today'],
  [new RegExp(`^${VERB} (?:today's (?:recordings|history|requests)|my (?:recordings|history|requests) (?:from )?today)$`), 'today'],
  [new RegExp(`^${VERB} (?:what i just said|what i just asked|that|the last (?:thing i said|request|recording)|my last (?:request|recording))$`), 'last'],
  [new RegExp(`^${VERB} (?:everything|all) ${I_SAID}(?: ever)?$`), 'all'],
  [new RegExp(`^${VERB} (?:all|everything in) my (?:recordings|history|voice history)$`), 'all'],
];

export function matchPrivacyCommand(text: string): PrivacyCommand | null {
  if (typeof text !== 'string' || text.length > 200) return null;
  const t = normalise(text);
  for (const [re, kind] of PATTERNS) if (re.test(t)) return { kind };
  return null;
}
