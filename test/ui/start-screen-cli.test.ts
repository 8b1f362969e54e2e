import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';

function captureIO(): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), stdin: new PassThrough(), stdoutIsTTY: false, env: {} };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const run = (extra: string[]) => {
  const io = captureIO();
  const argv = ['start', '--board', 'sim', '--wake', 'scripted', '--mic-file', 'ui/sim-wavs/no_wake_word.wav', '--exit-when-idle', '--no-electron', '--data-dir', mkdtempSync(join(tmpdir(), 'tally-cli-')), ...extra];
  return main(argv, io).then((code) => ({ code, io }));
};

describe('tally start and the screen', () => {
  it('prints exactly one `screen: <url-with-token>` line, on --display-port', async () => {
    const port = await freePort();
    const { code, io } = await run(['--display-port', String(port)]);
    expect(code).toBe(0);
    const screens = io.lines.filter((l) => l.startsWith('screen: '));
    expect(screens).toHaveLength(1);
    const url = new URL(screens[0]!.slice('screen: '.length));
    expect(url.origin).toBe(`http://127.0.0.1:${port}`);
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('--no-display starts no screen', async () => {
    const { code, io } = await run(['--no-display']);
    expect(code).toBe(0);
    expect(io.lines.filter((l) => l.startsWith('screen: '))).toHaveLength(0);
  });

  it('a taken display port is an error with a code, and nothing is left running', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    try {
      const { code, io } = await run(['--display-port', String(port)]);
      expect(code).toBe(1);
      expect(io.errors.join('\n')).toContain('DISPLAY_PORT_UNAVAILABLE');
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});

describe('tally start --display-host', () => {
  it('a non-loopback address without --display-lan is refused with a code', async () => {
    const { code, io } = await run(['--display-host', '0.0.0.0']);
    expect(code).toBe(1);
    expect(io.errors.join('\n')).toContain('DISPLAY_LAN_NOT_ALLOWED');
  });
});
