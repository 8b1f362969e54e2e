import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDisplayBridge, type DisplayBridge } from '../../src/display/bridge.ts';
import { main } from '../../src/cli/main.ts';
import { asDevice, FakeDevice } from '../ui/fakes.ts';

const dist = mkdtempSync(join(tmpdir(), 'tally-ui-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');

function get(url: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

let bridge: DisplayBridge | null = null;
afterEach(async () => {
  await bridge?.close();
  bridge = null;
});

describe('a browser the device launches never has the screen token on its command line', () => {
  it('the launch link carries a one-time code that sends the browser on to the token URL once', async () => {
    bridge = await startDisplayBridge({ device: asDevice(new FakeDevice()), distDir: dist });
    const token = new URL(bridge.url).searchParams.get('token')!;
    const launch = bridge.launchUrl();
    expect(launch).not.toContain(token);
    expect(await get(launch)).toEqual({ status: 303, location: `/?token=${token}` });
    expect((await get(launch)).status).toBe(401);
    expect((await get(launch.replace(/code=.*/, 'code=guess'))).status).toBe(401);
  });

  it('tally start hands the kiosk browser (TALLY_SCREEN_BROWSER) the launch link, not the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-kiosk-'));
    const argvFile = join(dir, 'argv');
    const fake = join(dir, 'fake-browser');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argvFile}'\n`);
    chmodSync(fake, 0o755);
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => {}, stdin: new PassThrough(), stdoutIsTTY: false, env: { TALLY_SCREEN_BROWSER: fake } };
    const argv = ['start', '--board', 'sim', '--wake', 'scripted', '--mic-file', 'ui/sim-wavs/no_wake_word.wav', '--exit-when-idle', '--data-dir', join(dir, 'data')];
    expect(await main(argv, io)).toBe(0);
    await vi.waitFor(() => expect(existsSync(argvFile)).toBe(true), { timeout: 5000 });
    const token = new URL(lines.find((l) => l.startsWith('screen: '))!.slice('screen: '.length)).searchParams.get('token')!;
    const args = readFileSync(argvFile, 'utf8');
    expect(args).toMatch(/--app=http:\/\/127\.0\.0\.1:\d+\/launch\?code=/);
    expect(args).not.toContain(token);
  });
});
