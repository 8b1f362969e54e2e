import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TallyError } from '../../hal/base/errors.ts';

/**
 * The device's own secrets, made on the device at first boot and never shipped in an
 * image: every flashed card gets its own. Kept in <data dir>/keys (0700, files 0600).
 *
 * - esphome-api: the ESPHome native API encryption key (Noise PSK), 32 random bytes in
 *   base64, the form Home Assistant asks for when the device is added.
 * - display-token: the secret the screen bridge's tokens derive from, 32 random bytes
 *   in base64url.
 */
export const DEVICE_KEYS = {
  'esphome-api': { file: 'esphome-api.key', encoding: 'base64' },
  'display-token': { file: 'display-token.secret', encoding: 'base64url' },
} as const satisfies Record<string, { file: string; encoding: BufferEncoding }>;

export type DeviceKeyName = keyof typeof DEVICE_KEYS;
export const KEY_BYTES = 32;

export function keysDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

/** Short public fingerprint of a key (for logs and tests); the key itself is never logged. */
export function fingerprint(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Reads one key; a file that is not exactly one key in its encoding is DEVICE_KEY_INVALID. */
export function readDeviceKey(dataDir: string, name: DeviceKeyName): Buffer | null {
  const { file, encoding } = DEVICE_KEYS[name];
  const path = join(keysDir(dataDir), file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TallyError('DEVICE_KEY_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, encoding);
  if (key.length !== KEY_BYTES || key.toString(encoding) !== trimmed) {
    throw new TallyError('DEVICE_KEY_INVALID', `${path} is not a ${KEY_BYTES}-byte ${encoding} key; it was left as it is (move it away to make a new one)`, { details: { path } });
  }
  return key;
}

/** Writes a new key with O_EXCL through a temp file + link: never replaces an existing one. */
function writeNewKey(dir: string, file: string, text: string): boolean {
  const tmp = join(dir, `.${file}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, join(dir, file));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false; // made concurrently: keep that one
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

export interface EnsuredKey {
  name: DeviceKeyName;
  created: boolean;
  fingerprint: string;
}

/**
 * Makes every missing key; keeps every valid existing one. Idempotent, so the first-boot
 * unit can run it on every boot. An invalid existing file stops it (nothing is overwritten).
 */
export function ensureDeviceKeys(dataDir: string, random: (n: number) => Buffer = randomBytes): EnsuredKey[] {
  const dir = keysDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const result: EnsuredKey[] = [];
  for (const name of Object.keys(DEVICE_KEYS) as DeviceKeyName[]) {
    const existing = readDeviceKey(dataDir, name);
    if (existing) {
      result.push({ name, created: false, fingerprint: fingerprint(existing) });
      continue;
    }
    const key = random(KEY_BYTES);
    if (key.length !== KEY_BYTES) throw new TallyError('DEVICE_KEY_RANDOM', `random source gave ${key.length} bytes, need ${KEY_BYTES}`);
    const created = writeNewKey(dir, DEVICE_KEYS[name].file, key.toString(DEVICE_KEYS[name].encoding));
    const stored = readDeviceKey(dataDir, name);
    if (!stored) throw new TallyError('DEVICE_KEY_UNREADABLE', `${name} key vanished right after it was written`);
    result.push({ name, created, fingerprint: fingerprint(stored) });
  }
  return result;
}
