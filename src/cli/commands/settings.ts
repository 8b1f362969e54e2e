import { TallyError } from '../../../hal/base/errors.ts';
import { parseSettingValue } from '../../history/cli-args.ts';
import { defaultDataDir } from '../../history/data-dir.ts';
import { HistoryStore } from '../../history/history-store.ts';
import { SETTING_KEYS, type SettingKey } from '../../core/settings/schema.ts';
import type { CliIO } from '../io.ts';
import { parseOptions } from '../parse-options.ts';

const OPTIONS = { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;
const HELP = `usage: tally settings get [KEY] [--json] [--data-dir DIR]
       tally settings set KEY VALUE [--data-dir DIR]
       tally settings first-run [keep|dont-keep] [--data-dir DIR]   (the first-run choice; without a choice, explains it)
  keys: ${SETTING_KEYS.join(', ')}
  setting dontSave to true deletes the existing voice history (physically) before it returns`;

/** `tally settings get|set`: the same validated, persisted settings the device applies at start. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'settings');
  const [sub, key, value, ...extra] = positionals;
  if (values.help || !sub) {
    (values.help ? io.out : io.err)(HELP);
    return values.help ? 0 : 2;
  }
  if (sub === 'first-run') return firstRun(key, values['data-dir'] ?? defaultDataDir(io.env), io);
  if (sub !== 'get' && sub !== 'set') {
    throw new TallyError('CLI_UNKNOWN_SUBCOMMAND', `unknown settings subcommand "${sub}"`, { validOptions: ['get', 'set', 'first-run'] });
  }
  if (sub === 'set' && (key === undefined || value === undefined || extra.length)) {
    throw new TallyError('CLI_BAD_OPTION', 'tally settings set takes KEY VALUE', { validOptions: SETTING_KEYS });
  }
  if (key !== undefined && !(SETTING_KEYS as string[]).includes(key)) {
    throw new TallyError('SETTINGS_UNKNOWN_KEY', `unknown setting "${key}"`, { validOptions: SETTING_KEYS });
  }
  const patch = sub === 'set' ? parseSettingValue(key!, value!) : null;
  const store = HistoryStore.open({ dataDir: values['data-dir'] ?? defaultDataDir(io.env) });
  try {
    if (patch) {
      const { settings, wiped } = await store.setSettings(patch);
      io.out(`${key} = ${JSON.stringify(settings[key as SettingKey])}`);
      if (wiped) io.out(`don't save is on: deleted ${wiped.recordings} recording(s); verified on disk`);
      return 0;
    }
    const settings = store.getSettings();
    if (!settings.firstRunDone && !values.json && key === undefined) io.out(FIRST_RUN_TEXT);
    if (key !== undefined) io.out(values.json ? JSON.stringify({ [key]: settings[key as SettingKey] }) : JSON.stringify(settings[key as SettingKey]));
    else if (values.json) io.out(JSON.stringify(settings));
    else for (const k of SETTING_KEYS) io.out(`${k} = ${JSON.stringify(settings[k])}`);
    return 0;
  } finally {
    await store.close();
  }
}

const FIRST_RUN_TEXT = `first run — choose once with \`tally settings first-run keep|dont-keep\`:
  dont-keep  audio goes to the voice service while the light is blue and is never saved here (the default)
  keep       recordings and transcripts are kept here for 3 months; you can play and delete them at any time`;

/** The first-run choice, shown once (the screen shows the same two sentences). */
async function firstRun(choice: string | undefined, dataDir: string, io: CliIO): Promise<number> {
  if (choice === undefined) {
    io.out(FIRST_RUN_TEXT);
    return 0;
  }
  if (choice !== 'keep' && choice !== 'dont-keep') {
    throw new TallyError('CLI_BAD_OPTION', `first-run takes keep or dont-keep, got "${choice}"`, { validOptions: ['keep', 'dont-keep'] });
  }
  const store = HistoryStore.open({ dataDir });
  try {
    await store.setSettings({ saveRecordings: choice === 'keep', firstRunDone: true });
    io.out(choice === 'keep' ? 'recordings will be kept for 3 months (retention = "3-months")' : 'no recordings will be kept on this device');
    return 0;
  } finally {
    await store.close();
  }
}
