import { TallyError } from '../../../hal/base/errors.ts';
import { parseSettingValue } from '../../history/cli-args.ts';
import { defaultDataDir } from '../../history/data-dir.ts';
import { readFirstRun, writeFirstRun } from '../../history/first-run.ts';
import { HistoryStore } from '../../history/history-store.ts';
import { SETTING_KEYS, type SettingKey } from '../../core/settings/schema.ts';
import type { CliIO } from '../io.ts';
import { resolveWakeModel } from '../../wake/models.ts';
import { formatHelp, HELP_OPTION, parseOptions, type OptionTable } from '../parse-options.ts';

const OPTIONS = {
  'data-dir': { type: 'string', value: 'DIR', help: 'the device\'s data dir (default $XDG_DATA_HOME/tally or ~/.local/share/tally)' },
  json: { type: 'boolean', help: 'get: print JSON' },
  ...HELP_OPTION,
} as const satisfies OptionTable;
const HELP = formatHelp('settings', OPTIONS, {
  usage: ['get [KEY] [--json] [--data-dir DIR]', 'set KEY VALUE [--data-dir DIR]', 'first-run [keep|dont-keep] [--data-dir DIR]   (the first-run choice; without a choice, explains it)'],
  notes: [`keys: ${SETTING_KEYS.join(', ')}`, 'setting dontSave to true deletes the existing voice history (physically) before it returns'],
});

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
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
  // The same check start applies: a wake word is saved only if its model can be loaded.
  for (const w of patch?.wakeWords ?? []) resolveWakeModel(w);
  // get never makes a data dir; set may make the default one (before a first start), never a typed one.
  const store = HistoryStore.open({ dataDir, create: sub === 'set' && values['data-dir'] === undefined });
  try {
    if (patch) {
      const { settings, wiped } = await store.setSettings(patch);
      io.out(`${key} = ${JSON.stringify(settings[key as SettingKey])}`);
      if (wiped) io.out(`don't save is on: deleted ${wiped.recordings} recording(s); verified on disk`);
      return 0;
    }
    const settings = store.getSettings();
    if (key !== undefined) io.out(values.json ? JSON.stringify({ [key]: settings[key as SettingKey] }) : JSON.stringify(settings[key as SettingKey]));
    else if (values.json) io.out(JSON.stringify(settings));
    else {
      for (const k of SETTING_KEYS) io.out(`${k} = ${JSON.stringify(settings[k])}`);
      io.out(firstRunLine(dataDir));
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** The screen's first-run flow writes these same settings; say whether it has been done here. */
function firstRunLine(dataDir: string): string {
  try {
    const done = readFirstRun(dataDir);
    return done ? `# first-run setup: done at ${new Date(done.completedAt).toISOString()}` : '# first-run setup: not done yet (the screen shows it; or `tally settings first-run`)';
  } catch (e) {
    return `# first-run setup: unreadable (${(e as { code?: string }).code ?? 'ERROR'}); the screen shows it again`;
  }
}

const FIRST_RUN_TEXT = `first run — choose once with \`tally settings first-run keep|dont-keep\`:
  dont-keep  audio goes to the voice service while the light is blue and is never saved here (the default)
  keep       recordings and transcripts are kept here for 3 months; you can play and delete them at any time`;

/** The first-run choice from a terminal: the same choice and record as the screen's first-run flow. */
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
    await store.setSettings({ saveRecordings: choice === 'keep', ...(choice === 'keep' ? { dontSave: false } : {}) });
    // The same record the screen's first-run flow writes: the screen then does not ask again.
    writeFirstRun(dataDir, Date.now());
    io.out(choice === 'keep' ? 'recordings will be kept for 3 months (retention = "3-months")' : 'no recordings will be kept on this device');
    return 0;
  } finally {
    await store.close();
  }
}
