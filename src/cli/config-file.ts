import { readFileSync } from 'node:fs';
import { TallyError } from '../../hal/base/errors.ts';
import { SETTING_KEYS, settingsSchema, type Settings } from '../core/settings/schema.ts';

/**
 * `--config FILE`: a JSON object of settings. Unknown keys, wrong types and out-of-range
 * values are refused with CONFIG_INVALID naming the key and the valid keys — nothing
 * starts with a half-understood configuration.
 */
export function loadConfigFile(path: string, base: Settings): Settings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TallyError('CONFIG_UNREADABLE', `cannot read config file ${path}`, { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new TallyError('CONFIG_MALFORMED', `config file ${path} is not valid JSON: ${(cause as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TallyError('CONFIG_INVALID', `config file ${path} must contain a JSON object of settings`, { validOptions: SETTING_KEYS });
  }
  const parsed = settingsSchema.safeParse({ ...base, ...data });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(root)');
    throw new TallyError('CONFIG_INVALID', `config file ${path}: ${key}: ${issue.message}`, {
      validOptions: issue.code === 'unrecognized_keys' ? SETTING_KEYS : ('values' in issue && Array.isArray(issue.values) ? issue.values.map(String) : undefined) ?? [],
      details: { key },
    });
  }
  return parsed.data;
}
