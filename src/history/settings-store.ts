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

/** Only the keys the owner has set, each valid on its own (what the device applies over its config). */
export function readStoredSettings(db: Database.Database): Partial<Settings> {
  const stored: Record<string, unknown> = {};
  for (const row of db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]) {
    // A key a newer Tally wrote (or one since removed) is ignored rather than failing start.
    if ((SETTING_KEYS as string[]).includes(row.key)) stored[row.key] = JSON.parse(row.value);
  }
  const parsed = settingsSchema.partial().safeParse(stored);
  // One bad stored value must not brick the device: fall back key by key.
  if (parsed.success) return Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in stored)) as Partial<Settings>;
  const good: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(stored)) if (settingsSchema.partial().safeParse({ [k]: v }).success) good[k] = v;
  return good as Partial<Settings>;
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
