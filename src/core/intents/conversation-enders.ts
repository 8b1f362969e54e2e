import { normaliseUtterance } from './utterance.ts';

/**
 * Words that end a follow-up conversation, as on Echo ("stop", "cancel", "thank you").
 * Matched on the whole utterance only, so "stop the timer" is still a request.
 */
const ENDERS = new Set(['stop', 'cancel', 'thank you', 'thanks', 'thank you very much', 'never mind', 'nevermind', "that's all", 'that is all']);

export function endsConversation(transcript: string): boolean {
  return ENDERS.has(normaliseUtterance(transcript));
}
