import { TallyError } from '../../hal/base/errors.ts';
import { defaultSettings, SETTING_KEYS, type SettingKey, type Settings } from '../core/settings/schema.ts';
import type { RecordingSummary } from './recordings.ts';

/**
 * Parsing and printing for `tally history` / `tally settings`, kept apart from the
 * commands so they stay a page each.
 */

/** `--from/--to`: epoch ms, an ISO date (local midnight, as the owner means "5 January") or an ISO date-time. */
export function parseInstant(value: string, option: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = dateOnly ? new Date(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])).getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new TallyError('CLI_BAD_OPTION', `--${option} must be a date (2026-01-05), a date-time (2026-01-05T14:30) or epoch ms, got "${value}"`);
  }
  return ms;
}

/** A setting value typed by its key's default: `true`/`false`, a number, a list (comma-separated or JSON), or text. */
export function parseSettingValue(key: string, raw: string): Partial<Settings> {
  if (!(SETTING_KEYS as string[]).includes(key)) {
    throw new TallyError('SETTINGS_UNKNOWN_KEY', `unknown setting "${key}"`, { validOptions: SETTING_KEYS });
  }
  const example = defaultSettings()[key as SettingKey];
  let value: unknown = raw;
  if (typeof example === 'boolean') {
    if (raw !== 'true' && raw !== 'false') {
      throw new TallyError('SETTINGS_INVALID_VALUE', `${key} is on/off`, { validOptions: ['true', 'false'] });
    }
    value = raw === 'true';
  } else if (typeof example === 'number') {
    value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new TallyError('SETTINGS_INVALID_VALUE', `${key} must be a number, got "${raw}"`);
  } else if (key === 'muteSchedule') {
    // "23:00-07:00", or "off".
    const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(raw.trim());
    if (raw === 'off' || raw === 'none') value = null;
    else if (m) value = { from: m[1], to: m[2] };
    else throw new TallyError('SETTINGS_INVALID_VALUE', `muteSchedule is FROM-TO in 24 h local time (23:00-07:00) or "off", got "${raw}"`);
  } else if (Array.isArray(example)) {
    value = raw.trim().startsWith('[') ? JSON.parse(raw) : raw.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return { [key]: value } as Partial<Settings>;
}

export function formatSummaryLine(r: RecordingSummary): string {
  const flags = [r.falseWake ? 'false-wake' : '', r.hasTranscript ? '' : 'no-transcript'].filter(Boolean).join(',');
  return [
    String(r.id).padStart(6),
    new Date(r.startedAt).toISOString(),
    `${(r.durationMs / 1000).toFixed(1)}s`.padStart(7),
    r.trigger.padEnd(9),
    r.deviceId,
    flags,
  ]
    .join('  ')
    .trimEnd();
}
