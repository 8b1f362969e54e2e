import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEVICE_KEYS, ensureDeviceKeys, fingerprint, keysDir, readDeviceKey } from '../../src/device-keys/device-keys.ts';
import { run } from '../../src/cli/commands/keys.ts';
import type { CliIO } from '../../src/cli/io.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tally-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), stdin: process.stdin, stdoutIsTTY: false, env: {} };
}

describe('device keys (first-boot generator)', () => {
  it('makes every key: 32 bytes, file 0600, directory 0700', () => {
    const made = ensureDeviceKeys(dir);
    expect(made.map((k) => [k.name, k.created])).toEqual([['esphome-api', true], ['display-token', true]]);
    expect(statSync(keysDir(dir)).mode & 0o777).toBe(0o700);
    for (const { file } of Object.values(DEVICE_KEYS)) {
      expect(statSync(join(keysDir(dir), file)).mode & 0o777).toBe(0o600);
    }
    const esphome = readFileSync(join(keysDir(dir), 'esphome-api.key'), 'utf8').trim();
    expect(Buffer.from(esphome, 'base64')).toHaveLength(32);
    expect(esphome).toMatch(/^[A-Za-z0-9+/]{43}=$/); // the form Home Assistant's ESPHome setup takes
  });

  it('keeps existing keys on every later run (idempotent)', () => {
    const first = ensureDeviceKeys(dir);
    const again = ensureDeviceKeys(dir);
    expect(again.every((k) => !k.created)).toBe(true);
    expect(again.map((k) => k.fingerprint)).toEqual(first.map((k) => k.fingerprint));
  });

  it('two devices (two data dirs) get different keys', () => {
    const other = mkdtempSync(join(tmpdir(), 'tally-keys-'));
    try {
      const a = ensureDeviceKeys(dir).map((k) => k.fingerprint);
      const b = ensureDeviceKeys(other).map((k) => k.fingerprint);
      expect(a[0]).not.toBe(b[0]);
      expect(a[1]).not.toBe(b[1]);
      expect(a[0]).not.toBe(a[1]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('uses the random source it is given, and refuses a short one', () => {
    const fixed = Buffer.alloc(32, 7);
    const made = ensureDeviceKeys(dir, () => fixed);
    expect(made[0]!.fingerprint).toBe(fingerprint(fixed));
    expect(readDeviceKey(dir, 'display-token')).toEqual(fixed);
    const other = mkdtempSync(join(tmpdir(), 'tally-keys-'));
    try {
      expect(() => ensureDeviceKeys(other, () => Buffer.alloc(16))).toThrow(expect.objectContaining({ code: 'DEVICE_KEY_RANDOM' }));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a corrupt key file is DEVICE_KEY_INVALID and is left untouched', () => {
    mkdirSync(keysDir(dir), { recursive: true });
    const path = join(keysDir(dir), 'esphome-api.key');
    writeFileSync(path, 'not-a-key\n');
    expect(() => ensureDeviceKeys(dir)).toThrow(expect.objectContaining({ code: 'DEVICE_KEY_INVALID' }));
    expect(readFileSync(path, 'utf8')).toBe('not-a-key\n');
  });

  it('tally keys init prints fingerprints, never the key; show prints the key', async () => {
    const out = io();
    expect(await run(['init', '--data-dir', dir], out)).toBe(0);
    const key = readFileSync(join(keysDir(dir), 'esphome-api.key'), 'utf8').trim();
    expect(out.lines.join('\n')).not.toContain(key);
    expect(out.lines[0]).toMatch(/^esphome-api: created \(fingerprint [0-9a-f]{16}\)$/);
    const shown = io();
    expect(await run(['show', 'esphome-api', '--data-dir', dir], shown)).toBe(0);
    expect(shown.lines).toEqual([key]);
  });

  it('tally keys rejects an unknown key or action with CLI_BAD_OPTION', async () => {
    await expect(run(['show', 'ssh', '--data-dir', dir], io())).rejects.toMatchObject({ code: 'CLI_BAD_OPTION' });
    await expect(run(['rotate', '--data-dir', dir], io())).rejects.toMatchObject({ code: 'CLI_BAD_OPTION' });
    await expect(run(['show', 'esphome-api', '--data-dir', dir], io())).rejects.toMatchObject({ code: 'DEVICE_KEY_MISSING' });
  });
});

describe('the first-boot ESPHome key is the one the ESPHome satellite uses', () => {
  it('tally keys init and the ESPHome key store read the same file', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readKey } = await import('../../src/voice/esphome/key-store.ts');
    const dir = mkdtempSync(join(tmpdir(), 'tally-keys-'));
    ensureDeviceKeys(dir);
    const made = readDeviceKey(dir, 'esphome-api')!;
    expect(Buffer.from(readKey(dir)!)).toEqual(made);
  });
});
