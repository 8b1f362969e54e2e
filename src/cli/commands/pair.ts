import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TallyError } from '../../../hal/base/errors.ts';
import { defaultDataDir, prepareDataDir } from '../../history/data-dir.ts';
import { PairingStore, pairingPath, removePairingFile } from '../../voice/wyoming/pairing-store.ts';
import { encodeKey, loadOrCreateKey, rotateKey } from '../../voice/esphome/key-store.ts';
import type { CliIO } from '../io.ts';
import { formatHelp, HELP_OPTION, optionNames, parseOptions, type OptionTable } from '../parse-options.ts';

const OPTIONS = {
  'data-dir': { type: 'string', value: 'DIR', help: 'the device\'s data dir (default $XDG_DATA_HOME/tally or ~/.local/share/tally)' },
  'rotate-key': { type: 'boolean', help: 'make a new ESPHome encryption key (give it to Home Assistant again)' },
  reset: { type: 'boolean', help: 'Wyoming: forget the pairing; the next Home Assistant that completes setup is paired' },
  host: { type: 'string', value: 'HOST', help: 'Wyoming: pair with the Home Assistant at this address or host name now (no first-come window)' },
  ...HELP_OPTION,
} as const satisfies OptionTable;

const HELP = formatHelp('pair', OPTIONS, {
  usage: ['[--data-dir DIR]', '--rotate-key [--data-dir DIR]', '--reset [--data-dir DIR]', '--host IP|NAME [--data-dir DIR]'],
  notes: [
    'Without options: shows the ESPHome encryption key (made if there is none) and the Wyoming pairing.',
    'The ESPHome key (tally start --voice esphome) is in <data dir>/keys/esphome-api.key (mode 0600); it is made',
    'at first start or by this command. Wyoming pairing is stored in <data dir>/wyoming-pairing.json.',
    'Restart "tally start" after changing either.',
  ],
});

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/**
 * An address as is; a host name (homeassistant.local) resolved once, now, through the
 * system resolver (mDNS where the system has it): HA is recognised by its address.
 */
export async function resolveHost(host: string): Promise<string> {
  if (isIP(host)) return host;
  if (!HOST_NAME.test(host)) throw new TallyError('CLI_BAD_OPTION', `--host must be an IP address or a host name (homeassistant.local), got "${host}"`);
  try {
    return (await lookup(host, { order: 'ipv4first' })).address;
  } catch (e) {
    throw new TallyError('PAIR_HOST_UNRESOLVED', `cannot resolve "${host}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give Home Assistant's IP address instead (Settings → System → Network)`, { cause: e });
  }
}

/** `tally pair`: shows the ESPHome key (or rotates it); shows, resets or pins the Wyoming pairing. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'pair');
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (positionals.length) {
    throw new TallyError('CLI_BAD_OPTION', `tally pair takes no arguments, got "${positionals[0]}"`, { validOptions: optionNames(OPTIONS) });
  }
  if (values.reset && values.host) throw new TallyError('CLI_BAD_OPTION', 'use either --reset or --host, not both', { validOptions: ['--reset', '--host'] });
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
  // A mistyped --data-dir is an error; the default dir may be made (pair runs before a first start).
  if (!values.host) prepareDataDir(dataDir, { create: values['data-dir'] === undefined });
  if (values['rotate-key']) {
    if (values.reset || values.host) throw new TallyError('CLI_BAD_OPTION', '--rotate-key goes alone', { validOptions: ['--rotate-key'] });
    const key = rotateKey(dataDir);
    io.out(`new ESPHome encryption key: ${encodeKey(key)}`);
    io.out('Home Assistant will ask for it ("Invalid encryption key") until you paste it there.');
    return 0;
  }
  const file = pairingPath(dataDir);
  if (values.reset) {
    // By path, not through PairingStore: a corrupt file is exactly what --reset is for.
    const had = removePairingFile(file);
    io.out(had ? `pairing forgotten (${file} removed)` : 'not paired: nothing to forget');
    return 0;
  }
  if (values.host !== undefined) {
    const address = await resolveHost(values.host);
    prepareDataDir(dataDir, { create: values['data-dir'] === undefined });
    new PairingStore(dataDir).save({ host: address, pairedAt: new Date().toISOString() });
    const named = address === values.host ? '' : ` (${values.host})`;
    io.out(`paired with Home Assistant at ${address}${named} (${file})`);
    if (named) io.out('  the address is what is checked: pair again if Home Assistant\'s address changes');
    return 0;
  }
  const { key, created } = loadOrCreateKey(dataDir);
  io.out(`ESPHome encryption key${created ? ' (new)' : ''}: ${encodeKey(key)}`);
  io.out('  Home Assistant → Settings → Devices & services → Add integration → ESPHome: this device, port 6053, paste the key.');
  const p = new PairingStore(dataDir).pairing;
  io.out(p ? `Wyoming: paired with Home Assistant at ${p.host} since ${p.pairedAt}` : 'Wyoming: not paired: the first Home Assistant that completes setup will be');
  return 0;
}
