import { isIP } from 'node:net';
import { TallyError } from '../../../hal/base/errors.ts';
import { defaultDataDir } from '../../history/data-dir.ts';
import { PairingStore, pairingPath, removePairingFile } from '../../voice/wyoming/pairing-store.ts';
import { encodeKey, loadOrCreateKey, rotateKey } from '../../voice/esphome/key-store.ts';
import type { CliIO } from '../io.ts';
import { parseOptions } from '../parse-options.ts';

const OPTIONS = {
  'data-dir': { type: 'string' },
  reset: { type: 'boolean' },
  host: { type: 'string' },
  'rotate-key': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

const HELP = `usage: tally pair [--data-dir DIR]             show the ESPHome encryption key and the Wyoming pairing
       tally pair --rotate-key [--data-dir DIR] make a new ESPHome encryption key (give it to Home Assistant again)
       tally pair --reset [--data-dir DIR]     forget it: the next Home Assistant that completes setup is paired
       tally pair --host IP [--data-dir DIR]   pair with the Home Assistant at IP now (no first-come window)

The ESPHome key (tally start --voice esphome) is in <data dir>/esphome-api-key (mode 0600); it is made
at first start or by this command. Wyoming pairing is stored in <data dir>/wyoming-pairing.json.
Restart "tally start" after changing either.`;

/** `tally pair`: shows the ESPHome key (or rotates it); shows, resets or pins the Wyoming pairing. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(argv, OPTIONS, 'pair');
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (positionals.length) {
    throw new TallyError('CLI_BAD_OPTION', `tally pair takes no arguments, got "${positionals[0]}"`, { validOptions: Object.keys(OPTIONS).map((o) => `--${o}`) });
  }
  if (values.reset && values.host) throw new TallyError('CLI_BAD_OPTION', 'use either --reset or --host, not both', { validOptions: ['--reset', '--host'] });
  const dataDir = values['data-dir'] ?? defaultDataDir(io.env);
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
    if (!isIP(values.host)) throw new TallyError('CLI_BAD_OPTION', `--host must be an IPv4 or IPv6 address, got "${values.host}"`);
    new PairingStore(dataDir).save({ host: values.host, pairedAt: new Date().toISOString() });
    io.out(`paired with Home Assistant at ${values.host} (${file})`);
    return 0;
  }
  const { key, created } = loadOrCreateKey(dataDir);
  io.out(`ESPHome encryption key${created ? ' (new)' : ''}: ${encodeKey(key)}`);
  io.out('  Home Assistant → Settings → Devices & services → Add integration → ESPHome: this device, port 6053, paste the key.');
  const p = new PairingStore(dataDir).pairing;
  io.out(p ? `Wyoming: paired with Home Assistant at ${p.host} since ${p.pairedAt}` : 'Wyoming: not paired: the first Home Assistant that completes setup will be');
  return 0;
}
