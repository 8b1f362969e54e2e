import { TallyError } from '../../hal/base/errors.ts';
import type { Device } from '../core/device-types.ts';
import type { Catalog, DisplayHistory, MuteHistory, SetupPort, SimControls } from './ports.ts';
import type { ScreenRequest } from './protocol.ts';
import { handleOwnerRequest, isOwnerRequest } from './owner/owner-requests.ts';
import { settingsSchema, type Settings } from '../core/settings/schema.ts';

export interface RequestContext {
  device: Device;
  history?: DisplayHistory;
  sim?: SimControls;
  catalog: Catalog;
  /** First-run state of the data dir and how Home Assistant connects (absent: no first-run flow). */
  setup?: SetupPort;
  /** When the mic was off, for the activity picture (absent: no mute shading). */
  mutes?: MuteHistory;
  /** Tells every screen the history changed (after a delete or a scan). */
  historyChanged(): void;
}

function needHistory(ctx: RequestContext): DisplayHistory {
  if (!ctx.history) throw new TallyError('HISTORY_UNAVAILABLE', 'this device runs without a history store');
  return ctx.history;
}

function validSettingsPatch(patch: Record<string, unknown>): Partial<Settings> {
  const parsed = settingsSchema.partial().strict().safeParse(patch);
  // zod's partial() still fills in every default: keep only the keys the screen named,
  // or one toggle would reset (and save) every other setting.
  if (parsed.success) return Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in patch)) as Partial<Settings>;
  const issue = parsed.error.issues[0];
  throw new TallyError('SETTINGS_INVALID', `setting ${issue?.path.join('.') || '?'}: ${issue?.message}`, {
    validOptions: Object.keys(settingsSchema.shape),
  });
}

/**
 * Validates a patch and applies it. One road: with a history store, the store saves the
 * change and its listener (attachHistory) applies it to the device; without one, the
 * device takes it directly. The Settings page and the first run both come this way.
 */
async function applySettings(ctx: RequestContext, raw: Record<string, unknown>): Promise<unknown> {
  const patch = validSettingsPatch(raw);
  if (ctx.history) return await ctx.history.setSettings(patch);
  ctx.device.updateSettings(patch);
  return { ...ctx.device.settings };
}

/** Carries out one validated screen request. Results are plain JSON data. */
export async function handleRequest(ctx: RequestContext, req: ScreenRequest): Promise<unknown> {
  if (isOwnerRequest(req)) return handleOwnerRequest({ ...ctx, applySettings: (patch) => applySettings(ctx, patch) }, req);
  switch (req.op) {
    case 'press':
      if (ctx.sim) await ctx.sim.press(req.button);
      else ctx.device.send(req.button === 'action' ? { type: 'button-press' } : { type: 'mute-toggle' });
      return null;
    case 'sim-speak':
      if (!ctx.sim) throw new TallyError('SIM_UNAVAILABLE', 'the board is not the simulator');
      if (!ctx.sim.snapshot().wavs.includes(req.wav)) {
        throw new TallyError('SIM_WAV_UNKNOWN', `no such WAV "${req.wav}"`, { validOptions: ctx.sim.snapshot().wavs });
      }
      await ctx.sim.speak(req.wav);
      return null;
    case 'list-recordings': {
      const { op: _op, ...q } = req;
      return await needHistory(ctx).listRecordings(q);
    }
    case 'delete-recording':
    case 'delete-range':
    case 'delete-device':
    case 'delete-all':
    case 'delete-scan':
      await deleteFromHistory(ctx, req);
      ctx.historyChanged();
      return null;
    case 'privacy-status':
      return await privacyStatus(ctx);
    case 'get-settings':
      return ctx.history ? await ctx.history.getSettings() : { ...ctx.device.settings };
    case 'set-settings':
      return applySettings(ctx, req.patch);
    case 'scan': {
      const results = await ctx.catalog.lookup(req.code);
      if (!ctx.history) return { id: null, at: ctx.device.clock.wallNow(), code: req.code, format: req.format, image: req.image, results };
      const saved = await ctx.history.addScan({ code: req.code, format: req.format, image: req.image, results });
      ctx.historyChanged();
      return saved;
    }
    case 'list-scans':
      return ctx.history ? await ctx.history.listScans() : [];
  }
}

type DeleteRequest = Extract<ScreenRequest, { op: 'delete-recording' | 'delete-range' | 'delete-device' | 'delete-all' | 'delete-scan' }>;

async function deleteFromHistory(ctx: RequestContext, req: DeleteRequest): Promise<void> {
  if (req.op === 'delete-range' && req.to < req.from) throw new TallyError('INVALID_RANGE', '"to" is before "from"');
  const history = needHistory(ctx);
  switch (req.op) {
    case 'delete-recording':
      return void (await history.deleteRecording(req.id));
    case 'delete-range':
      return void (await history.deleteRange(req.from, req.to));
    case 'delete-device':
      return void (await history.deleteDevice(req.deviceId));
    case 'delete-all':
      return void (await history.deleteAll());
    case 'delete-scan':
      return void (await history.deleteScan(req.id));
  }
}

/** The privacy status: the ledger's chain, deletion receipts, mute proofs, false wakes per day. */
async function privacyStatus(ctx: RequestContext): Promise<unknown> {
  // Without a history store (or with "don't save"): this boot's RAM ledger only, no chain on disk.
  if (ctx.history?.privacyStatus && !ctx.device.settings.dontSave) return await ctx.history.privacyStatus();
  return { chain: null, receipts: [], muteVerified: ctx.device.ledger.notes(), falseWakesPerDay: [] };
}
