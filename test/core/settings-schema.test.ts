import { describe, expect, it } from 'vitest';
import { defaultSettings, PRE_ROLL_MAX_MS, SETTING_KEYS, settingsSchema } from '../../src/core/settings/schema.ts';

// What a new device does before the owner changes anything (privacy-first), and which
// values the owner (screen, CLI, config file, Home Assistant) can never set.
describe('settings schema', () => {
  it('a new device: nothing kept, pre-roll 500 ms, tones on, follow-up off, mic never scheduled off', () => {
    expect(defaultSettings()).toEqual({
      preRollMs: 500,
      maxStreamMs: 10_000,
      indicatorAckBudgetMs: 1000,
      startTone: true,
      endTone: true,
      followUp: false,
      followUpWindowMs: 5000,
      noSpeechTimeoutMs: 5000,
      endOfSpeechSilenceMs: 700,
      thinkingTimeoutMs: 15_000,
      wakeWords: ['alexa'],
      sensitivity: 'default',
      refractoryMs: 2000,
      saveRecordings: false,
      dontSave: false,
      retention: '3-months',
      deletionByVoice: true,
      nightMode: false,
      muteSchedule: null,
      scheduleAllowsPushToTalk: false,
      pushToTalk: false,
      deafnessCheckMs: 60_000,
      volume: 0.6,
      echoCancelStream: true,
      deviceId: 'tally',
    });
    expect(SETTING_KEYS).toEqual(Object.keys(defaultSettings()));
  });

  it('the pre-roll is capped at PRE_ROLL_MAX_MS (1 s): no setting makes the device send more of the past', () => {
    expect(PRE_ROLL_MAX_MS).toBe(1000);
    expect(settingsSchema.safeParse({ preRollMs: 1000 }).success).toBe(true);
    expect(settingsSchema.safeParse({ preRollMs: 1001 }).success).toBe(false);
    expect(settingsSchema.safeParse({ preRollMs: -1 }).success).toBe(false);
    expect(settingsSchema.safeParse({ preRollMs: 0.5 }).success).toBe(false);
  });

  it.each([
    ['maxStreamMs', 1000, 60_000],
    ['indicatorAckBudgetMs', 10, 5000],
    ['followUpWindowMs', 1000, 15_000],
    ['noSpeechTimeoutMs', 1000, 30_000],
    ['endOfSpeechSilenceMs', 200, 5000],
    ['thinkingTimeoutMs', 1000, 120_000],
    ['refractoryMs', 0, 10_000],
    ['deafnessCheckMs', 1000, 3_600_000],
  ])('%s is an integer from %i to %i', (key, min, max) => {
    const ok = (v: unknown) => settingsSchema.safeParse({ [key]: v }).success;
    expect([ok(min), ok(max), ok(min - 1), ok(max + 1), ok(min + 0.5)]).toEqual([true, true, false, false, false]);
  });

  it('volume is 0..1; the device id is 1..64 characters; at least one non-empty wake word', () => {
    const ok = (v: object) => settingsSchema.safeParse(v).success;
    expect([ok({ volume: 0 }), ok({ volume: 1 }), ok({ volume: 0.25 }), ok({ volume: -0.01 }), ok({ volume: 1.01 })]).toEqual([true, true, true, false, false]);
    expect([ok({ deviceId: 'x' }), ok({ deviceId: 'x'.repeat(64) }), ok({ deviceId: '' }), ok({ deviceId: 'x'.repeat(65) })]).toEqual([true, true, false, false]);
    expect([ok({ wakeWords: ['hey_jarvis'] }), ok({ wakeWords: [] }), ok({ wakeWords: [''] })]).toEqual([true, false, false]);
  });

  it('the owner may set several wake words at once', () => {
    expect(settingsSchema.parse({ wakeWords: ['alexa', 'hey_jarvis'] }).wakeWords).toEqual(['alexa', 'hey_jarvis']);
  });

  it('only the listed choices for sensitivity and retention', () => {
    for (const s of ['low', 'default', 'high']) expect(settingsSchema.parse({ sensitivity: s }).sensitivity).toBe(s);
    for (const r of ['keep', '3-months', '18-months']) expect(settingsSchema.parse({ retention: r }).retention).toBe(r);
    expect(settingsSchema.safeParse({ sensitivity: 'max' }).success).toBe(false);
    expect(settingsSchema.safeParse({ retention: 'forever' }).success).toBe(false);
    expect(settingsSchema.safeParse({ retention: '' }).success).toBe(false);
  });

  it('the mute schedule takes 24-hour HH:MM times only, and nothing else', () => {
    const ok = (from: string, to = '07:00') => settingsSchema.safeParse({ muteSchedule: { from, to } }).success;
    for (const t of ['00:00', '09:59', '19:30', '23:59']) expect(ok(t), t).toBe(true);
    for (const t of ['24:00', '7:00', '12:60', '1200', ' 12:00', '12:00 ', 'x12:00', '12:005', '29:00']) expect(ok(t), t).toBe(false);
    expect(settingsSchema.safeParse({ muteSchedule: { from: '22:00', to: '07:00', extra: 1 } }).success).toBe(false);
    const bad = settingsSchema.safeParse({ muteSchedule: { from: '25:00', to: '07:00' } });
    expect(bad.success ? '' : bad.error.issues[0]!.message).toBe('a time of day as HH:MM (24 h)');
  });

  it('an unknown setting is refused, not ignored', () => {
    expect(settingsSchema.safeParse({ uploadEverything: true }).success).toBe(false);
  });
});
