import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPrivacyCommand } from '../../src/core/intents/privacy-commands.ts';

describe('privacy voice commands', () => {
  const cases: [string, 'last' | 'today' | 'all'][] = [
    ['delete what I just said', 'last'],
    ['Delete what I just said.', 'last'],
    ['Alexa, please delete what I just said', 'last'],
    ['forget that', 'last'],
    ['delete my last request', 'last'],
    ['delete everything I said today', 'today'],
    ['Delete everything I’ve said today!', 'today'],
    ['erase what I said today', 'today'],
    ['delete everything I said', 'all'],
    ['delete everything I said, please', 'all'],
    ['delete all my recordings', 'all'],
  ];
  for (const [text, kind] of cases) {
    it(`"${text}" → ${kind}`, () => expect(matchPrivacyCommand(text)).toEqual({ kind }));
  }

  const notCommands = [
    'turn on the kitchen light',
    'what did I just say',
    'delete the shopping list',
    'delete everything on my calendar today',
    'remind me to delete everything I said tomorrow',
    "don't delete what I just said",
    'delete',
    '',
  ];
  for (const text of notCommands) {
    it(`"${text}" is not a command`, () => expect(matchPrivacyCommand(text)).toBeNull());
  }

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const r = matchPrivacyCommand(s);
      expect(r === null || ['last', 'today', 'all'].includes(r.kind)).toBe(true);
    }));
  });
});
