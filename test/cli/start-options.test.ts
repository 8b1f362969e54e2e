import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: new PassThrough(), stdoutIsTTY: false, env: {} };
  return { cli, out, err };
}

describe('tally start refuses bad input before starting anything', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
  const dataDir = join(dir, 'data');
  const cases: [string, string[], RegExp][] = [
    ['unknown board', ['start', '--board', 'nope', '--data-dir', dataDir], /BOARD_UNKNOWN.*valid: .*sim/],
    ['unknown option', ['start', '--frobnicate', '--data-dir', dataDir], /CLI_BAD_OPTION.*valid: .*--board/],
    ['unknown voice service', ['start', '--voice', 'alexa-cloud', '--data-dir', dataDir], /VOICE_SERVICE_UNKNOWN.*valid: sim/],
    ['bad port', ['start', '--wyoming-port', '70000', '--data-dir', dataDir], /CLI_BAD_OPTION.*--wyoming-port/],
    ['bad esphome port', ['start', '--voice', 'esphome', '--esphome-port', '-1', '--data-dir', dataDir], /CLI_BAD_OPTION.*--esphome-port/],
    ['esphome options without --voice esphome', ['start', '--esphome-plaintext', '--data-dir', dataDir], /CLI_BAD_OPTION.*--voice esphome/],
    ['exit-when-idle without a mic file', ['start', '--exit-when-idle', '--data-dir', dataDir], /CLI_BAD_OPTION.*--mic-file/],
    ['mic file that is not a WAV', ['start', '--mic-file', __filename, '--data-dir', dataDir], /error WAV_[A-Z_]+:/],
    ['unknown command', ['strat'], /CLI_UNKNOWN_COMMAND.*valid: .*start/],
  ];
  for (const [name, argv, pattern] of cases) {
    it(name, async () => {
      const { cli, err } = io();
      const code = await main(argv, cli);
      expect(code).not.toBe(0);
      expect(err.join('\n')).toMatch(pattern);
      expect(existsSync(dataDir)).toBe(false);
    });
  }

  it('malformed and invalid config files are refused, naming the key and the valid keys', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "preRollMs": 500,');
    let r = io();
    expect(await main(['start', '--config', bad, '--data-dir', dataDir], r.cli)).not.toBe(0);
    expect(r.err.join('\n')).toMatch(/CONFIG_MALFORMED/);

    const range = join(dir, 'range.json');
    writeFileSync(range, JSON.stringify({ preRollMs: 5000 }));
    r = io();
    expect(await main(['start', '--config', range, '--data-dir', dataDir], r.cli)).not.toBe(0);
    expect(r.err.join('\n')).toMatch(/CONFIG_INVALID.*preRollMs/);

    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ preroll: 500 }));
    r = io();
    expect(await main(['start', '--config', unknown, '--data-dir', dataDir], r.cli)).not.toBe(0);
    expect(r.err.join('\n')).toMatch(/CONFIG_INVALID.*preroll.*valid: .*preRollMs/);
    expect(existsSync(dataDir)).toBe(false);
  });
});
