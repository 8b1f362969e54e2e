import { TallyError } from '../../../hal/base/errors.ts';
import type { Device } from '../../core/device-types.ts';
import type { DisplayHistory, MuteHistory, SetupPort } from '../ports.ts';
import { ledgerRowSchema, recordingSchema, type LedgerRow, type ScreenRequest, type SetupInfo } from '../protocol.ts';
import { bucketActivity } from './activity.ts';

export interface OwnerContext {
  device: Device;
  history?: DisplayHistory;
  setup?: SetupPort;
  mutes?: MuteHistory;
  /** Applies a validated settings patch exactly as the Settings page does. */
  applySettings(patch: Record<string, unknown>): Promise<unknown>;
  historyChanged(): void;
}

type OwnerOp = 'activity' | 'get-setup' | 'complete-setup' | 'not-meant-for-me' | 'list-ledger';
export type OwnerRequest = Extract<ScreenRequest, { op: OwnerOp }>;
const OWNER_OPS = new Set<string>(['activity', 'get-setup', 'complete-setup', 'not-meant-for-me', 'list-ledger']);

export function isOwnerRequest(req: ScreenRequest): req is OwnerRequest {
  return OWNER_OPS.has(req.op);
}

/** The most rows one activity picture reads; a busier week is drawn from these and says so. */
export const ACTIVITY_ROW_CAP = 20_000;
const PAGE = 500;
const MAX_WINDOW_MS = 8 * 86_400_000;

/** The owner pages' requests: the activity picture, the ledger by hour, first run, "Not meant for me". */
export async function handleOwnerRequest(ctx: OwnerContext, req: OwnerRequest): Promise<unknown> {
  switch (req.op) {
    case 'list-ledger': {
      const rows = await ledgerBetween(ctx, req.from ?? 0, req.to ?? Number.MAX_SAFE_INTEGER, req.offset + req.limit);
      return rows.rows.slice(req.offset, req.offset + req.limit);
    }
    case 'activity':
      return activity(ctx, req.from, req.to, req.bucketMs);
    case 'get-setup':
      return setupInfo(ctx);
    case 'complete-setup': {
      const setup = needSetup(ctx);
      // The choices are settings like any other: the same validated path the Settings page uses.
      // "Save recordings" must then really save: it also turns "don't save anything" off.
      await ctx.applySettings({ ...req.choices, ...(req.choices.saveRecordings ? { dontSave: false } : {}) });
      setup.markCompleted(ctx.device.clock.wallNow());
      return setupInfo(ctx);
    }
    case 'not-meant-for-me':
      if (!ctx.history) throw new TallyError('HISTORY_UNAVAILABLE', 'this device runs without a history store');
      // Counted as a false wake (a content-free receipt) where the store can; deleted either way.
      await (ctx.history.deleteFalseWake ? ctx.history.deleteFalseWake(req.id) : ctx.history.deleteRecording(req.id));
      ctx.historyChanged();
      return null;
  }
}

function needSetup(ctx: OwnerContext): SetupPort {
  if (!ctx.setup) throw new TallyError('SETUP_UNAVAILABLE', 'this device runs without a data dir for first-run setup');
  return ctx.setup;
}

function setupInfo(ctx: OwnerContext): SetupInfo {
  const setup = needSetup(ctx);
  const completedAt = setup.completedAt();
  return { done: completedAt !== null, completedAt, wakeWords: setup.wakeWords(), connection: setup.connection() };
}

async function activity(ctx: OwnerContext, from: number, to: number, bucketMs: number) {
  if (to <= from || to - from > MAX_WINDOW_MS) {
    throw new TallyError('INVALID_RANGE', `an activity window is 1 ms to 8 days, got ${to - from} ms`);
  }
  const ledger = await ledgerBetween(ctx, from, to, ACTIVITY_ROW_CAP);
  const falseWakes = await falseWakesBetween(ctx, from, to);
  const now = ctx.device.clock.wallNow();
  return bucketActivity({
    from,
    to,
    bucketMs,
    ledger: ledger.rows,
    falseWakes,
    muted: ctx.mutes?.intervals(from, to) ?? [],
    mutedKnownSince: ctx.mutes?.knownSince ?? now,
    truncated: ledger.truncated,
  });
}

/** Ledger rows that started in [from, to), newest first, read page by page (the store lists newest first). */
async function ledgerBetween(ctx: OwnerContext, from: number, to: number, cap: number): Promise<{ rows: LedgerRow[]; truncated: boolean }> {
  const rows: LedgerRow[] = [];
  const inWindow = (r: LedgerRow) => r.startedAt >= from && r.startedAt < to;
  // "Don't save": the ledger lives in RAM only, so the pages show this boot's activity.
  if (!ctx.history || ctx.device.settings.dontSave) {
    const all = ctx.device.ledger.entries().slice().reverse().filter(inWindow);
    return { rows: all.slice(0, cap), truncated: all.length > cap };
  }
  for (let offset = 0; ; offset += PAGE) {
    const page = ledgerRowSchema.array().parse(await ctx.history.listLedger({ limit: PAGE, offset }));
    for (const r of page) {
      if (!inWindow(r)) continue;
      if (rows.length >= cap) return { rows, truncated: true };
      rows.push(r);
    }
    if (page.length < PAGE || page.at(-1)!.startedAt < from) return { rows, truncated: false };
  }
}

async function falseWakesBetween(ctx: OwnerContext, from: number, to: number): Promise<number[]> {
  if (!ctx.history) return [];
  const out: number[] = [];
  for (let offset = 0; offset < ACTIVITY_ROW_CAP; offset += PAGE) {
    const page = recordingSchema.array().parse(await ctx.history.listRecordings({ limit: PAGE, offset, from, to }));
    for (const r of page) if (r.falseWake) out.push(r.startedAt);
    if (page.length < PAGE) break;
  }
  return out;
}
