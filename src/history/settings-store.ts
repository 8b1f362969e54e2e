import type Database from 'better-sqlite3';
import { TallyError } from '../../hal/base/errors.ts';
import { SETTING_KEYS, settingsSchema, type Settings } from '../core/settings/schema.ts';

/**
 * Settings persisted one key per row, written in one transaction (synchronous=FULL), so a
 * crash leaves either the old or the new settings, never a mix. Only keys that differ
 * from the defaults need to be stored, but every set key is kept explicitly so a later
 * change of default does not silently change an owner's choice.
 */
export function readSettings(db: Database.Database): Settings {
  return settingsSchema.parse(readStoredSettings(db));
}

/**
 * What a stored value that cannot be read falls back to: the most private choice, never
 * the default (a corrupted "don't save" must not start saving). Keys not listed fall
 * back to their default.
 */
export const PRIVATE_FALLBACK: Partial<Settings> = { dontSave: true, saveRecordings: false, followUp: false, retention: '3-months' };

export interface StoredSettingProblem {
  key: string;
  code: 'SETTINGS_STORED_INVALID';
  /** What the device uses instead: the private fallback, or the default. */
  fallback: 'private' | 'default';
}

/**
 * Only the keys the owner has set, each valid on its own (what the device applies over its
 * config). A row that is not JSON or not valid for its key never fails start and never
 * falls back to a less private value: it is reported in `problems` (when given).
 */
export function readStoredSettings(db: Database.Database, problems?: StoredSettingProblem[]): Partial<Settings> {
  const good: Record<string, unknown> = {};
  for (const row of db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]) {
    // A key a newer Tally wrote (or one since removed) is ignored rather than failing start.
    if (!(SETTING_KEYS as string[]).includes(row.key)) continue;
    const value = parseStoredValue(row.key, row.value);
    if (value.ok) {
      good[row.key] = value.value;
      continue;
    }
    const fallback = (PRIVATE_FALLBACK as Record<string, unknown>)[row.key];
    if (fallback !== undefined) good[row.key] = fallback;
    problems?.push({ key: row.key, code: 'SETTINGS_STORED_INVALID', fallback: fallback !== undefined ? 'private' : 'default' });
  }
  return good as Partial<Settings>;
}

function parseStoredValue(key: string, raw: string): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false };
  }
  const parsed = settingsSchema.partial().safeParse({ [key]: value });
  return parsed.success ? { ok: true, value: (parsed.data as Record<string, unknown>)[key] } : { ok: false };
}

/** Validates the whole result of applying `patch`, then writes the patched keys. */
export function validateSettingsPatch(current: Settings, patch: Record<string, unknown>): Settings {
  for (const key of Object.keys(patch)) {
    if (!(SETTING_KEYS as string[]).includes(key)) {
      throw new TallyError('SETTINGS_UNKNOWN_KEY', `unknown setting "${key}"`, { validOptions: SETTING_KEYS });
    }
  }
  const parsed = settingsSchema.safeParse({ ...current, ...patch });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const options = (issue as { values?: unknown[] }).values?.map(String);
    throw new TallyError('SETTINGS_INVALID_VALUE', `invalid value for ${key}: ${issue.message}`, {
      details: { key },
      ...(options ? { validOptions: options } : {}),
    });
  }
  return parsed.data;
}

export function writeSettings(db: Database.Database, patch: Partial<Settings>): void {
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  for (const [k, v] of Object.entries(patch)) put.run(k, JSON.stringify(v));
}
