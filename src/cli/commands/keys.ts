import { TallyError } from '../../../hal/base/errors.ts';
import { DEVICE_KEYS, ensureDeviceKeys, readDeviceKey, type DeviceKeyName } from '../../device-keys/device-keys.ts';
import { defaultDataDir } from '../../history/data-dir.ts';
import type { CliIO } from '../io.ts';
import { formatHelp, HELP_OPTION, parseOptions, type OptionTable } from '../parse-options.ts';

const OPTIONS = {
  'data-dir': { type: 'string', value: 'DIR', help: 'the device\'s data dir (default $XDG_DATA_HOME/tally or ~/.local/share/tally)' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

const HELP = formatHelp('keys', OPTIONS, {
  usage: ['init [--data-dir DIR]         make the device keys that are missing (keeps existing ones)', 'show NAME [--data-dir DIR]    print one key, e.g. the ESPHome key Home Assistant asks for'],
  notes: [`Keys (in <data dir>/keys, readable by the tally user only): ${Object.keys(DEVICE_KEYS).join(', ')}.`, 'The SD-card image runs "tally keys init" at boot, so every card makes its own.'],
});

/** `tally keys`: the device's own secrets. `init` prints fingerprints only, never a key. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'keys');
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
  const [action, name, ...extra] = positionals;
  if (action === 'init' && name === undefined) {
    for (const k of ensureDeviceKeys(dataDir)) io.out(`${k.name}: ${k.created ? 'created' : 'kept'} (fingerprint ${k.fingerprint})`);
    return 0;
  }
  if (action === 'show' && name !== undefined && extra.length === 0) {
    if (!(name in DEVICE_KEYS)) throw new TallyError('CLI_BAD_OPTION', `unknown key "${name}"`, { validOptions: Object.keys(DEVICE_KEYS) });
    const keyName = name as DeviceKeyName;
    const key = readDeviceKey(dataDir, keyName);
    if (!key) throw new TallyError('DEVICE_KEY_MISSING', `no ${name} key in ${dataDir}: run "tally keys init" first`);
    io.out(key.toString(DEVICE_KEYS[keyName].encoding));
    return 0;
  }
  throw new TallyError('CLI_BAD_OPTION', `tally keys: expected "init" or "show NAME", got "${positionals.join(' ')}"`, { validOptions: ['init', 'show'] });
}
