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
  /** A wake that led to no request (no speech, empty transcript): shown so the owner can say "not meant for me". */
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
  z.object({ op: z.literal('list-ledger'), ...page }),
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
  // Issue 14: "not meant for me" (delete and count a false wake), and the privacy page's status.
  z.object({ op: z.literal('not-meant-for-me'), id }),
  z.object({ op: z.literal('privacy-status') }),
]);
export type ScreenRequest = z.infer<typeof requestSchema>;

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** The screen painted this view (two animation frames after render). */
  z.object({ type: z.literal('ack'), version: z.number().int().nonnegative() }),
  z.object({ type: z.literal('request'), id: z.number().int().nonnegative(), request: requestSchema }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
