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
    localTime(r.startedAt),
    `${(r.durationMs / 1000).toFixed(1)}s`.padStart(7),
    r.trigger.padEnd(9),
    r.deviceId,
    flags,
  ]
    .join('  ')
    .trimEnd();
}

/** `+01:00` for the local zone at that instant (TZ applies; DST changes the offset). */
function localOffset(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO 8601 in local time with its offset: `2026-01-05T14:30:00.000+01:00` (for --json). */
export function localIso(ms: number): string {
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  return `${date}T${time}${localOffset(d)}`;
}

/** What a person reads in `history list`: `2026-01-05 14:30:00 +01:00`, local time. */
export function localTime(ms: number): string {
  const iso = localIso(ms);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} ${iso.slice(23)}`;
}

/** A summary for --json: the instants as local ISO strings with offset, the rest as is. */
export function summaryJson(r: RecordingSummary): Record<string, unknown> {
  return { ...r, startedAt: localIso(r.startedAt), endedAt: localIso(r.endedAt), createdAt: localIso(r.createdAt) };
}
