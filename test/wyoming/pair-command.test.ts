import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { PairingStore } from '../../src/voice/wyoming/pairing-store.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: new PassThrough(), stdoutIsTTY: false, env: {} };
  return { cli, out, err };
}

describe('tally pair', () => {
  it('shows, pins, resets; --reset also clears a corrupt file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-pair-'));
    const file = join(dir, 'wyoming-pairing.json');
    let r = io();
    expect(await main(['pair', '--data-dir', dir], r.cli)).toBe(0);
    expect(r.out.find((l) => l.startsWith('Wyoming:'))).toMatch(/^Wyoming: not paired/);

    r = io();
    expect(await main(['pair', '--host', '192.0.2.5', '--data-dir', dir], r.cli)).toBe(0);
    expect(new PairingStore(dir).pairing?.host).toBe('192.0.2.5');
    expect(JSON.parse(readFileSync(file, 'utf8')).host).toBe('192.0.2.5');

    r = io();
    await main(['pair', '--data-dir', dir], r.cli);
    expect(r.out.find((l) => l.startsWith('Wyoming:'))).toMatch(/^Wyoming: paired with Home Assistant at 192\.0\.2\.5/);

    r = io();
    expect(await main(['pair', '--reset', '--data-dir', dir], r.cli)).toBe(0);
    expect(r.out[0]).toMatch(/^pairing forgotten/);
    expect(existsSync(file)).toBe(false);

    writeFileSync(file, 'garbage');
    r = io();
    expect(await main(['pair', '--reset', '--data-dir', dir], r.cli)).toBe(0);
    expect(existsSync(file)).toBe(false);

    r = io();
    expect(await main(['pair', '--reset', '--data-dir', dir], r.cli)).toBe(0);
    expect(r.out[0]).toMatch(/nothing to forget/);
  });

  it('refuses a bad --host and unknown options with codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-pair-'));
    let r = io();
    expect(await main(['pair', '--host', 'homeassistant.local', '--data-dir', dir], r.cli)).toBe(1);
    expect(r.err[0]).toMatch(/^error CLI_BAD_OPTION/);
    r = io();
    expect(await main(['pair', '--bogus'], r.cli)).toBe(1);
    expect(r.err[0]).toMatch(/CLI_BAD_OPTION.*--reset/);
  });
});
