import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TallyError } from '../../../hal/base/errors.ts';

/**
 * The device's ESPHome API encryption key: 32 random bytes, shown to the owner as the
 * standard base64 that Home Assistant's "Add ESPHome device" dialog takes. Stored in
 * `<dataDir>/esphome-api-key` (mode 0600, written temp → fsync → rename → fsync dir, so a
 * power cut leaves the old key or the new one). A damaged file is an error, never a
 * silent new key (HA would be locked out without anyone knowing why).
 */
export const KEY_FILE = 'esphome-api-key';
export const KEY_BYTES = 32;

export function keyPath(dataDir: string): string {
  return join(dataDir, KEY_FILE);
}

export function decodeKey(text: string, source: string): Uint8Array {
  const t = text.trim();
  const bytes = /^[A-Za-z0-9+/]{43}=$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (!bytes || bytes.length !== KEY_BYTES) {
    throw new TallyError('ESPHOME_KEY_CORRUPT', `${source} is not a 32-byte base64 key; run "tally pair --rotate-key" to make a new one`);
  }
  return new Uint8Array(bytes);
}

export function encodeKey(key: Uint8Array): string {
  return Buffer.from(key).toString('base64');
}

/** The key, or null when none was made yet. */
export function readKey(dataDir: string): Uint8Array | null {
  const file = keyPath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TallyError('ESPHOME_KEY_UNREADABLE', `cannot read ${file}`, { cause: e });
  }
  const mode = statSync(file).mode & 0o077;
  if (mode !== 0) throw new TallyError('ESPHOME_KEY_EXPOSED', `${file} is readable by other users (chmod 600 it, or rotate the key)`);
  return decodeKey(text, file);
}

/** First start: make the key if there is none. */
export function loadOrCreateKey(dataDir: string): { key: Uint8Array; created: boolean } {
  const existing = readKey(dataDir);
  if (existing) return { key: existing, created: false };
  return { key: rotateKey(dataDir), created: true };
}

/** A fresh key replaces the old one (HA must be given the new one). */
export function rotateKey(dataDir: string): Uint8Array {
  const key = new Uint8Array(randomBytes(KEY_BYTES));
  writeFileAtomic(keyPath(dataDir), encodeKey(key) + '\n');
  return key;
}

function writeFileAtomic(file: string, text: string): void {
  const dir = dirname(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch (e) {
    throw new TallyError('ESPHOME_KEY_UNWRITABLE', `cannot write ${file}`, { cause: e });
  }
}
