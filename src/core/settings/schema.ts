import { z } from 'zod';

/**
 * Every owner-facing setting, validated. Defaults are the privacy-first choice unless
 * the issue says otherwise. The history store persists these (crash-safe); a config file
 * given with --config overrides the defaults at start.
 */
export const PRE_ROLL_MAX_MS = 1000;

export const settingsSchema = z
  .object({
    /** Audio before the trigger sent at the start of each stream (Amazon requires 500 ms). */
    preRollMs: z.number().int().min(0).max(PRE_ROLL_MAX_MS).default(500),
    maxStreamMs: z.number().int().min(1000).max(60_000).default(10_000),
    /** How long the gate waits for every indicator to confirm it is showing, then fails closed. */
    indicatorAckBudgetMs: z.number().int().min(10).max(5000).default(1000),
    startTone: z.boolean().default(true),
    endTone: z.boolean().default(true),
    followUp: z.boolean().default(false),
    followUpWindowMs: z.number().int().min(1000).max(15_000).default(5000),
    noSpeechTimeoutMs: z.number().int().min(1000).max(30_000).default(5000),
    endOfSpeechSilenceMs: z.number().int().min(200).max(5000).default(700),
    thinkingTimeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
    wakeWords: z.array(z.string().min(1)).min(1).default(['alexa']),
    sensitivity: z.enum(['low', 'default', 'high']).default('default'),
    refractoryMs: z.number().int().min(0).max(10_000).default(2000),
    saveRecordings: z.boolean().default(true),
    dontSave: z.boolean().default(false),
    retention: z.enum(['keep', '3-months', '18-months']).default('keep'),
    deletionByVoice: z.boolean().default(true),
    helpImprove: z.boolean().default(false),
    nightMode: z.boolean().default(false),
    volume: z.number().min(0).max(1).default(0.6),
    /** With an echo canceller: the voice service gets the echo-cancelled mic too (not only the wake word). */
    echoCancelStream: z.boolean().default(true),
    deviceId: z.string().min(1).max(64).default('tally'),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(settingsSchema.shape) as SettingKey[];

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
