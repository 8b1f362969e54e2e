import { z } from 'zod';
import type { AttentionState, Trigger } from '../core/attention/types.ts';

/**
 * The display bridge's wire protocol, validated with zod in both directions: the device
 * validates what it sends (so a bug cannot push a malformed frame to the screen) and what
 * it receives (the screen is a separate, less trusted process). The UI imports the same
 * schemas so the two sides cannot drift.
 */
export const MAX_INBOUND_BYTES = 64 * 1024;

const state = z.enum(['idle', 'listening', 'thinking', 'speaking', 'follow-up', 'muted', 'offline', 'error', 'fault', 'notification']);
const trigger = z.enum(['wake', 'button', 'follow-up']);

export const viewSchema = z.object({
  version: z.number().int().nonnegative(),
  state,
  stream: z.object({ id: z.number().int(), trigger, triggeredAt: z.number(), wakeWord: z.string().optional() }).nullable(),
  lastStreamEnd: z.object({ id: z.number().int(), reason: z.string() }).nullable(),
  muted: z.boolean(),
  softwareMute: z.boolean(),
  paused: z.boolean(),
  online: z.boolean(),
  fault: z.object({ code: z.string(), message: z.string(), latched: z.boolean().optional() }).nullable(),
  followUpEndsAt: z.number().nullable(),
  followUpMs: z.number().nullable(),
  talkerDirection: z.number().nullable(),
  notification: z.object({ kind: z.enum(['timer', 'announcement', 'notification']), label: z.string() }).nullable(),
  timers: z
    .array(z.object({ id: z.string(), name: z.string().nullable(), active: z.boolean(), endsAt: z.number().nullable(), remainingMs: z.number() }))
    .max(64),
  night: z.boolean(),
  error: z.object({ code: z.string() }).nullable(),
  // Privacy round two (issue 14): optional so an older screen build still validates.
  scheduledMute: z.boolean().optional(),
  ownerMuted: z.boolean().optional(),
  pushToTalk: z.boolean().optional(),
  micPowered: z.boolean().optional(),
  confirm: z.object({ what: z.enum(['all', 'today']), endsAt: z.number() }).nullable().optional(),
  notice: z.object({ code: z.string() }).nullable().optional(),
});
export type WireView = z.infer<typeof viewSchema>;

// The wire enums must match the attention contract exactly: a new state that the screen
// does not know would otherwise fail every view closed. Type-checked, so tsc catches drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const stateEnumMatches: Same<z.infer<typeof state>, AttentionState> = true;
const triggerEnumMatches: Same<z.infer<typeof trigger>, Trigger> = true;
void stateEnumMatches;
void triggerEnumMatches;

const rgb = z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)]);
export const simSnapshotSchema = z.object({
  ring: z.array(rgb),
  redLed: z.boolean(),
  relay: z.enum(['open', 'closed']).nullable(),
  wavs: z.array(z.string()),
});
export type SimSnapshot = z.infer<typeof simSnapshotSchema>;

export const recordingSchema = z.object({
  id: z.string(),
  startedAt: z.number(),
  durationMs: z.number().nullable(),
  deviceId: z.string(),
  trigger: z.string().nullable(),
  transcript: z.string().nullable(),
  response: z.string().nullable(),
  hasAudio: z.boolean(),
  /** A wake that led to no request (no words heard after the trigger, empty transcript): shown so the owner can say "not meant for me". Absent from stores that do not flag it. */
  falseWake: z.boolean().optional(),
});
export type RecordingSummary = z.infer<typeof recordingSchema>;

export const ledgerRowSchema = z.object({
  id: z.string(),
  streamId: z.number(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  trigger: z.string(),
  wakeWord: z.string().nullable(),
  preRollMs: z.number(),
  audioBytes: z.number(),
  destination: z.string(),
  endReason: z.string().nullable(),
  deviceId: z.string(),
});
export type LedgerRow = z.infer<typeof ledgerRowSchema>;

/** Where Home Assistant finds this device: what its "add integration" dialog asks for. */
export const connectionInfoSchema = z.object({
  /** The voice service the device runs now (`--voice`). */
  voice: z.string(),
  /** Addresses of this device on the LAN (what "Host" means in Home Assistant). */
  hosts: z.array(z.string()).max(16),
  wyoming: z.object({ port: z.number().int().min(0).max(65535) }).nullable(),
  /** The ESPHome native API, once the device runs it: port, and its Noise key (base64) when encrypted. */
  esphome: z.object({ port: z.number().int().min(0).max(65535), encryptionKey: z.string().max(128).nullable() }).nullable(),
});
export type ConnectionInfo = z.infer<typeof connectionInfoSchema>;

/** What the first-run flow needs: has it been done on this data dir, the wake words to pick from, how to connect. */
export const setupInfoSchema = z.object({
  done: z.boolean(),
  completedAt: z.number().nullable(),
  wakeWords: z.object({ shipped: z.array(z.string()), custom: z.array(z.string()) }),
  connection: connectionInfoSchema,
});
export type SetupInfo = z.infer<typeof setupInfoSchema>;

/** The first-run choices: exactly the settings keys it writes. */
export const setupChoicesSchema = z
  .object({
    saveRecordings: z.boolean(),
    retention: z.enum(['keep', '3-months', '18-months']),
    wakeWords: z.array(z.string().min(1).max(512)).min(1).max(4),
  })
  .strict();
export type SetupChoices = z.infer<typeof setupChoicesSchema>;

/** One bar of the activity picture: what left the device in one hour. */
export const activityBucketSchema = z.object({
  start: z.number(),
  /** Streams per trigger (wake, button, follow-up, service, …). */
  streams: z.record(z.string(), z.number().int().nonnegative()),
  /** Seconds of audio actually sent, from the bytes sent (16 kHz, 16-bit mono). */
  audioSeconds: z.number().nonnegative(),
  falseWakes: z.number().int().nonnegative(),
});
export type ActivityBucket = z.infer<typeof activityBucketSchema>;

export const activitySchema = z.object({
  from: z.number(),
  to: z.number(),
  bucketMs: z.number(),
  buckets: z.array(activityBucketSchema).max(24 * 8),
  /** Periods the microphone was off (clipped to the window); known since this boot. */
  muted: z.array(z.object({ from: z.number(), to: z.number() })).max(1000),
  /** Since when mute periods are known (the device keeps them in RAM only). */
  mutedKnownSince: z.number(),
  /** True when the window held more streams than the device would read for one picture. */
  truncated: z.boolean(),
});
export type Activity = z.infer<typeof activitySchema>;

export const catalogItemSchema = z.object({ name: z.string(), brand: z.string().optional(), detail: z.string().optional(), source: z.string() });
export type CatalogItem = z.infer<typeof catalogItemSchema>;

export const scanSchema = z.object({
  id: z.string(),
  at: z.number(),
  code: z.string(),
  format: z.string(),
  image: z.string().nullable(),
  results: z.array(catalogItemSchema),
});
export type ScanRecord = z.infer<typeof scanSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    board: z.string(),
    sim: z.boolean(),
    features: z.object({ history: z.boolean(), scanning: z.boolean() }),
    view: viewSchema,
    clockNow: z.number(),
  }),
  z.object({ type: z.literal('view'), view: viewSchema, clockNow: z.number() }),
  z.object({ type: z.literal('transcript'), streamId: z.number(), text: z.string() }),
  z.object({ type: z.literal('response'), streamId: z.number(), text: z.string() }),
  z.object({ type: z.literal('problem'), code: z.string(), message: z.string() }),
  z.object({ type: z.literal('sim'), snapshot: simSnapshotSchema }),
  z.object({ type: z.literal('history-changed') }),
  // One shape for both outcomes: `ok` with `data`, or not `ok` with an error `code`.
  z.object({ type: z.literal('result'), id: z.number().int(), ok: z.boolean(), data: z.unknown().optional(), code: z.string().optional(), message: z.string().optional() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

const id = z.string().min(1).max(128);
const epochMs = z.number().int().nonnegative();
const page = { limit: z.number().int().min(1).max(500).default(50), offset: z.number().int().min(0).default(0) };

/** Everything the screen may ask the device to do. Anything else is rejected. */
export const requestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('press'), button: z.enum(['action', 'mute']) }),
  z.object({ op: z.literal('sim-speak'), wav: z.string().min(1).max(200) }),
  z.object({ op: z.literal('list-recordings'), ...page, from: epochMs.optional(), to: epochMs.optional(), deviceId: id.optional() }),
  z.object({ op: z.literal('delete-recording'), id }),
  z.object({ op: z.literal('delete-range'), from: epochMs, to: epochMs }),
  z.object({ op: z.literal('delete-device'), deviceId: id }),
  z.object({ op: z.literal('delete-all'), confirm: z.literal(true) }),
  z.object({ op: z.literal('list-ledger'), ...page, from: epochMs.optional(), to: epochMs.optional() }),
  // The activity picture: at most 8 days of hourly (or coarser) bars.
  z.object({ op: z.literal('activity'), from: epochMs, to: epochMs, bucketMs: z.number().int().min(15 * 60_000).max(86_400_000) }),
  z.object({ op: z.literal('get-setup') }),
  z.object({ op: z.literal('complete-setup'), choices: setupChoicesSchema }),
  /** A flagged false wake: delete that request (physically, like any delete) and count it as a false wake. */
  z.object({ op: z.literal('not-meant-for-me'), id }),
  z.object({ op: z.literal('get-settings') }),
  z.object({ op: z.literal('set-settings'), patch: z.record(z.string(), z.unknown()) }),
  z.object({
    op: z.literal('scan'),
    code: z.string().min(1).max(128),
    format: z.string().min(1).max(32),
    source: z.enum(['camera', 'usb', 'sim']),
    // A small JPEG thumbnail as a data URL; the message size cap bounds it.
    image: z.string().startsWith('data:image/').max(48 * 1024).nullable(),
  }),
  z.object({ op: z.literal('list-scans') }),
  z.object({ op: z.literal('delete-scan'), id }),
  // Issue 14: the privacy status (ledger chain, deletion receipts, mute proofs, false wakes per day).
  z.object({ op: z.literal('privacy-status') }),
]);
export type ScreenRequest = z.infer<typeof requestSchema>;

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** The screen painted this view (two animation frames after render). */
  z.object({ type: z.literal('ack'), version: z.number().int().nonnegative() }),
  z.object({ type: z.literal('request'), id: z.number().int().nonnegative(), request: requestSchema }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
