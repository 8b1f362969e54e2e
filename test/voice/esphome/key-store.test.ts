import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, keyPath, loadOrCreateKey, readKey, rotateKey } from '../../../src/voice/esphome/key-store.ts';

// The ESPHome API key on disk: who can read it, what a damaged one does (never a silent
// new key: Home Assistant would be locked out without anyone knowing why).
const dataDir = () => mkdtempSync(join(tmpdir(), 'tally-esphome-key-'));
const valid = Buffer.alloc(32, 7).toString('base64'); // 43 chars + '='

function writeKeyFile(dir: string, text: string, mode = 0o600) {
  mkdirSync(dirname(keyPath(dir)), { recursive: true });
  writeFileSync(keyPath(dir), text, { mode });
  chmodSync(keyPath(dir), mode);
}

describe('ESPHome key store', () => {
  it('lives in <dataDir>/keys/esphome-api.key', () => {
    expect(keyPath('/data')).toBe(join('/data', 'keys', 'esphome-api.key'));
  });

  it('first start makes a 32-byte key, private to the owner, as base64 and a newline; the next start reads the same key', () => {
    const dir = dataDir();
    const first = loadOrCreateKey(dir);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(keyPath(dir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyPath(dir), 'utf8')).toBe(encodeKey(first.key) + '\n');
    const again = loadOrCreateKey(dir);
    expect(again.created).toBe(false);
    expect(Buffer.from(again.key).equals(Buffer.from(first.key))).toBe(true);
  });

  it('rotating replaces the key on disk with a different random one', () => {
    const dir = dataDir();
    const { key } = loadOrCreateKey(dir);
    const next = rotateKey(dir);
    expect(next).toHaveLength(32);
    expect(Buffer.from(next).equals(Buffer.from(key))).toBe(false);
    expect(Buffer.from(readKey(dir)!).equals(Buffer.from(next))).toBe(true);
  });

  it('no key file yet reads as none', () => {
    expect(readKey(dataDir())).toBeNull();
  });

  it('accepts the key HA shows, with surrounding whitespace', () => {
    const dir = dataDir();
    writeKeyFile(dir, `  ${valid}\r\n`);
    expect(Buffer.from(readKey(dir)!).toString('base64')).toBe(valid);
    expect(Buffer.from(decodeKey(valid, 'x'))).toEqual(Buffer.alloc(32, 7));
  });

  it.each([
    ['not base64', 'not a key'],
    ['no padding', valid.slice(0, -1)],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64')],
    ['31 bytes', Buffer.alloc(31, 1).toString('base64')],
    ['base64url alphabet', valid.slice(0, -2).replace(/.$/, '-') + valid.slice(-2)],
    ['text before the key', 'k' + valid],
    ['text after the key', valid + 'k'],
    ['two keys', `${valid}\n${valid}`],
    ['empty', ''],
  ])('a key file with %s is ESPHOME_KEY_CORRUPT and is left as it is', (_what, text) => {
    const dir = dataDir();
    writeKeyFile(dir, text);
    expect(() => loadOrCreateKey(dir)).toThrow(expect.objectContaining({ code: 'ESPHOME_KEY_CORRUPT', message: expect.stringContaining('tally pair --rotate-key') }));
    expect(readFileSync(keyPath(dir), 'utf8')).toBe(text);
  });

  it.each([0o640, 0o604, 0o660, 0o700, 0o601])('a key file with mode %o: any group or other bit is ESPHOME_KEY_EXPOSED, the owner bits are fine', (mode) => {
    const dir = dataDir();
    writeKeyFile(dir, valid + '\n', mode);
    const expectExposed = (mode & 0o077) !== 0;
    if (expectExposed) expect(() => readKey(dir)).toThrow(expect.objectContaining({ code: 'ESPHOME_KEY_EXPOSED' }));
    else expect(readKey(dir)).toHaveLength(32);
  });

  it('a key path that cannot be read is ESPHOME_KEY_UNREADABLE, not a new key', () => {
    const dir = dataDir();
    mkdirSync(keyPath(dir), { recursive: true }); // a directory where the file should be
    expect(() => loadOrCreateKey(dir)).toThrow(expect.objectContaining({ code: 'ESPHOME_KEY_UNREADABLE' }));
    expect(statSync(keyPath(dir)).isDirectory()).toBe(true);
  });

  it('an unreadable key path names the file and keeps the system error as the cause (the owner can see why)', () => {
    const dir = dataDir();
    mkdirSync(keyPath(dir), { recursive: true });
    let err: unknown;
    try {
      readKey(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'ESPHOME_KEY_UNREADABLE', message: expect.stringContaining(keyPath(dir)) });
    expect((err as Error).cause).toMatchObject({ code: 'EISDIR' });
  });

  it('an exposed key file names the file and says how to fix it; the key is not used', () => {
    const dir = dataDir();
    writeKeyFile(dir, valid + '\n', 0o644);
    expect(() => loadOrCreateKey(dir)).toThrow(expect.objectContaining({ code: 'ESPHOME_KEY_EXPOSED', message: expect.stringContaining(keyPath(dir)) }));
    expect(() => readKey(dir)).toThrow(/chmod 600/);
    expect(readFileSync(keyPath(dir), 'utf8')).toBe(valid + '\n');
  });

  it('a damaged key file is named in the error', () => {
    const dir = dataDir();
    writeKeyFile(dir, 'not a key');
    expect(() => readKey(dir)).toThrow(expect.objectContaining({ message: expect.stringContaining(keyPath(dir)) }));
  });

  it('a first key that cannot be written is ESPHOME_KEY_UNWRITABLE naming the file: no key is handed out', () => {
    const dir = dataDir();
    // keys/ is a link to nowhere: there is no key to read, and none can be written.
    symlinkSync(join(dir, 'nowhere'), join(dir, 'keys'));
    expect(() => loadOrCreateKey(dir)).toThrow(expect.objectContaining({ code: 'ESPHOME_KEY_UNWRITABLE', message: expect.stringContaining(keyPath(dir)) }));
    expect(readKey(dir)).toBeNull();
  });

  it('rotating onto a path that cannot be written is ESPHOME_KEY_UNWRITABLE and leaves what is there', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'keys'), 'in the way');
    expect(() => rotateKey(dir)).toThrow(expect.objectContaining({ code: 'ESPHOME_KEY_UNWRITABLE' }));
    expect(readFileSync(join(dir, 'keys'), 'utf8')).toBe('in the way');
  });
});
