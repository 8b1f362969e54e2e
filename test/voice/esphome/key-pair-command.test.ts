import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { keyPath, loadOrCreateKey, readKey } from '../../../src/voice/esphome/key-store.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: new PassThrough(), stdoutIsTTY: false, env: {} };
  return { cli, out, err };
}
const keyIn = (lines: string[]) => lines.join('\n').match(/key(?: \(new\))?: ([A-Za-z0-9+/]{43}=)/)?.[1];

describe('ESPHome encryption key: storage and `tally pair`', () => {
  it('is made once (0600, base64 of 32 bytes), shown by `tally pair`, and replaced by --rotate-key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-key-'));
    expect(readKey(dir)).toBeNull();
    let r = io();
    expect(await main(['pair', '--data-dir', dir], r.cli)).toBe(0);
    const first = keyIn(r.out);
    expect(first).toBeDefined();
    expect(Buffer.from(first!, 'base64')).toHaveLength(32);
    expect(statSync(keyPath(dir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyPath(dir), 'utf8').trim()).toBe(first);

    r = io();
    await main(['pair', '--data-dir', dir], r.cli);
    expect(keyIn(r.out)).toBe(first);
    expect(loadOrCreateKey(dir).created).toBe(false);

    r = io();
    expect(await main(['pair', '--rotate-key', '--data-dir', dir], r.cli)).toBe(0);
    const second = keyIn(r.out);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(Buffer.from(readKey(dir)!).toString('base64')).toBe(second);
  });

  it('a damaged or group-readable key file is an error with a code, never a silent new key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-key-'));
    writeFileSync(keyPath(dir), 'not a key\n', { mode: 0o600 });
    expect(() => loadOrCreateKey(dir)).toThrow(expect.objectContaining({ code: 'ESPHOME_KEY_CORRUPT' }));
    expect(readFileSync(keyPath(dir), 'utf8')).toBe('not a key\n');
    const dir2 = mkdtempSync(join(tmpdir(), 'tally-key-'));
    loadOrCreateKey(dir2);
    chmodSync(keyPath(dir2), 0o644);
    expect(() => readKey(dir2)).toThrow(expect.objectContaining({ code: 'ESPHOME_KEY_EXPOSED' }));
  });
});
