import { z } from 'zod';

/**
 * Every owner-facing setting, validated. Defaults are the privacy-first choice unless
 * the issue says otherwise. The history store persists these (crash-safe); a config file
 * given with --config overrides the defaults at start.
 */
export const PRE_ROLL_MAX_MS = 1000;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (24 h)');

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
    /** Private by default (like Apple and Google): nothing is kept unless the owner opts in. */
    saveRecordings: z.boolean().default(false),
    dontSave: z.boolean().default(false),
    /** Applies to recordings AND the transparency ledger (the ledger is history too). */
    retention: z.enum(['keep', '3-months', '18-months']).default('3-months'),
    /** "Delete what I just said" by voice; "everything" / "today" also need the action button. */
    deletionByVoice: z.boolean().default(true),
    nightMode: z.boolean().default(false),
    /** Owner-set hours when the mute relay opens by itself, local time "HH:MM" (from may be after to: overnight). */
    muteSchedule: z.object({ from: hhmm, to: hhmm }).strict().nullable().default(null),
    /** During the scheduled mute, holding the action button opens the mic for one request. */
    scheduleAllowsPushToTalk: z.boolean().default(false),
    /** Push-to-talk: wake word off, the mic relay closes only while the action button is held. */
    pushToTalk: z.boolean().default(false),
    /** While the relay is open, how often the device proves the mic is deaf. */
    deafnessCheckMs: z.number().int().min(1000).max(3_600_000).default(60_000),
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
