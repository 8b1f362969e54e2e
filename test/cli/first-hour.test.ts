import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { assertAudioRolesWork } from '../../src/cli/audio-preflight.ts';
import { loadBoard } from '../../boards/index.ts';
import type { ProbeEnv } from '../../hal/drivers/probe.ts';
import { markerRecording, newMarker, tempDirs } from '../history/helpers.ts';
import { wavPath } from '../wake/golden.ts';
import { scaledTimeout } from '../support/timeout-scale.ts';

const tempDir = tempDirs();
const run = promisify(execFile);

async function tally(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), stdin: new PassThrough(), stdoutIsTTY: false, env };
  const code = await main(argv, io);
  return { code, out, err: err.join('\n') };
}

describe('conventions', () => {
  it('tally --version prints the package.json version', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect((await tally(['--version'])).out).toEqual([`tally ${pkg.version}`]);
  });

  it.each(['start', 'history', 'settings', 'pair', 'doctor', 'wake-eval'])('tally %s --help lists every option it accepts, each with a description', async (cmd) => {
    const help = (await tally([cmd, '--help'])).out.join('\n');
    // Every option the parser refuses-with-a-list is in the help, and vice versa.
    const refused = await tally([cmd, '--no-such-option']);
    const valid = refused.err.match(/\(valid: (.*)\)/)![1]!.split(', ');
    expect(valid.length).toBeGreaterThan(1);
    for (const opt of valid) expect(help).toMatch(new RegExp(`^  ${opt}( [A-Z|.a-z0-9]+)?  +\\S`, 'm'));
  });

  it('history list shows local time (TZ applies) and --json gives ISO 8601 with the offset', async () => {
    const dir = tempDir();
    const store = HistoryStore.open({ dataDir: dir });
    const startedAt = Date.UTC(2026, 0, 5, 12, 0, 0);
    await store.addRecording(markerRecording(newMarker(), { startedAt, endedAt: startedAt + 2000, deviceId: 'kitchen' }));
    await store.close();
    const env = { ...process.env, TZ: 'Asia/Kolkata' };
    const plain = await run(process.execPath, ['bin/tally.js', 'history', 'list', '--data-dir', dir], { env });
    expect(plain.stdout).toContain('2026-01-05 17:30:00 +05:30');
    const json = await run(process.execPath, ['bin/tally.js', 'history', 'list', '--json', '--data-dir', dir], { env });
    const row = JSON.parse(json.stdout.trim());
    expect(row.startedAt).toBe('2026-01-05T17:30:00.000+05:30');
    expect(Date.parse(row.startedAt)).toBe(startedAt);
  }, scaledTimeout(30_000));

  it('pair --host accepts a host name (resolved to its address) and refuses malformed ones', async () => {
    const dir = tempDir();
    const r = await tally(['pair', '--host', 'localhost', '--data-dir', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'wyoming-pairing.json'), 'utf8'));
    expect(['127.0.0.1', '::1']).toContain(saved.host);
    expect((await tally(['pair', '--host', 'not a host!', '--data-dir', dir])).err).toMatch(/CLI_BAD_OPTION.*host name/);
    expect((await tally(['pair', '--host', 'no-such-host.invalid', '--data-dir', dir])).err).toMatch(/PAIR_HOST_UNRESOLVED/);
  });
});

describe('errors a new user hits', () => {
  it.each([
    ['history', 'list'],
    ['settings', 'get'],
    ['pair'],
  ])('%s %s with a mistyped --data-dir says it does not exist and creates nothing', async (...cmd) => {
    const missing = join(tempDir(), 'typo');
    const r = await tally([...cmd.filter(Boolean), '--data-dir', missing]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/error DATA_DIR_MISSING: data dir .*typo does not exist/);
    expect(existsSync(missing)).toBe(false);
  });

  it('a data dir that is a file is a coded, worded error (not INTERNAL: EEXIST)', async () => {
    const file = join(tempDir(), 'data');
    writeFileSync(file, 'x');
    const r = await tally(['settings', 'set', 'volume', '0.5', '--data-dir', file]);
    expect(r.err).toMatch(/^error DATA_DIR_NOT_A_DIRECTORY: data dir .* is a file/);
  });

  it('history play --out into a missing folder is a coded error naming the path', async () => {
    const dir = tempDir();
    const store = HistoryStore.open({ dataDir: dir });
    const id = await store.addRecording(markerRecording(newMarker()));
    await store.close();
    const r = await tally(['history', 'play', '--id', String(id), '--out', '/nonexistent/x.wav', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error FILE_NOT_FOUND: \/nonexistent\/x\.wav: no such file or directory/);
  });

  it('a read-only, empty data dir is "not writable by <user>", naming its owner — not HISTORY_DB_CORRUPT', async (ctx) => {
    const dir = tempDir();
    chmodSync(dir, 0o500);
    // Root may write anywhere: run the command as "nobody" then, with the dir owned by root.
    const asRoot = process.getuid?.() === 0;
    // Where dropping to "nobody" does not take effect (proot's emulated root in the ARM check:
    // the process stays the host's root), the dir is writable and there is nothing to test.
    const probe = await run(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(dir)}, 2)`], asRoot ? { uid: 65534, gid: 65534 } : {}).then(
      () => 'writable',
      () => 'refused',
    );
    if (probe === 'writable') {
      if (asRoot) chownSync(dir, 0, 0);
      ctx.skip('the OS lets this process write a 0500 directory (permissions not enforced here)');
    }
    const r = await run(process.execPath, ['bin/tally.js', 'settings', 'set', 'volume', '0.5', '--data-dir', dir], {
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      env: { ...process.env, HOME: dir },
    }).catch((e: { stderr: string; code: number }) => e);
    expect(r.stderr).toMatch(/error DATA_DIR_NOT_WRITABLE: data dir .* is not writable by .*; it belongs to \S+ \(uid \d+\)/);
    expect(r.stderr).not.toMatch(/CORRUPT/);
    if (asRoot) chownSync(dir, 0, 0);
  }, scaledTimeout(30_000));
});

describe('start refuses a board whose sound card is missing, with the doctor\'s message', () => {
  const noCard: ProbeEnv = {
    canAccess: async () => 'ok',
    listDir: async () => [],
    hasPackage: () => true,
    run: async (cmd) => ({ code: 1, stderr: `${cmd}: main:831: audio open error: No such file or directory` }),
    stdinIsTTY: true,
    libgpiod: async () => ({ detail: 'libgpiod test', chips: [] }),
  };

  it('refuses before loading any driver, naming each audio role and its fix', async () => {
    const board = await loadBoard('desktop');
    const err = await assertAudioRolesWork(board, noCard).catch((e) => e);
    expect(err.code).toBe('BOARD_ROLE_MISSING');
    expect(err.message).toMatch(/microphone \(alsa\): ALSA capture "default" failed: .*fix: list devices with arecord -L/);
    expect(err.message).toMatch(/tones \(speaker\): ALSA playback/);
    expect(err.message).toMatch(/tally doctor --board desktop/);
    await expect(assertAudioRolesWork(await loadBoard('sim'), noCard)).resolves.toBeUndefined();
  });

  it('tally start --board FILE with a nonexistent ALSA device exits 1 with BOARD_ROLE_MISSING (no ALSA abort)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-board-'));
    const boardFile = join(dir, 'b.json');
    writeFileSync(boardFile, JSON.stringify({ name: 'nocard', description: 'x', roles: { microphone: { driver: 'sim' }, actionButton: { driver: 'sim' }, tones: { driver: 'speaker', device: 'tally_no_such_pcm' } } }));
    const r = await run(process.execPath, ['bin/tally.js', 'start', '--board', boardFile, '--no-display', '--data-dir', join(dir, 'data')]).catch((e: { stderr: string; code: number }) => e);
    expect((r as { code: number }).code).toBe(1);
    expect(r.stderr).toMatch(/error BOARD_ROLE_MISSING: board nocard cannot start: tones \(speaker\)/);
  }, scaledTimeout(30_000));
});

describe('voice-service port options', () => {
  it.each([
    [['--bind', '127.0.0.1'], /--bind and --no-zeroconf .* --voice wyoming or esphome/],
    [['--no-zeroconf'], /--bind and --no-zeroconf/],
    [['--voice', 'wyoming', '--bind', 'homeassistant'], /--bind must be an IPv4 or IPv6 address/],
  ])('start %j is refused before anything starts', async (args, pattern) => {
    const dataDir = join(tempDir(), 'd');
    const r = await tally(['start', ...args, '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(pattern);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('saved wake words', () => {
  it('settings set refuses a wake word whose model does not exist (as start does), and keeps the old one', async () => {
    const dir = tempDir();
    const r = await tally(['settings', 'set', 'wakeWords', '["hey_nobody"]', '--data-dir', dir]);
    expect(r.err).toMatch(/error WAKE_MODEL_UNKNOWN: unknown wake word "hey_nobody".*valid: alexa, hey_jarvis/);
    expect((await tally(['settings', 'get', 'wakeWords', '--data-dir', dir])).out).toEqual(['["alexa"]']);
  });

  it('start listens for the saved wake words, not the default', async () => {
    const dir = tempDir();
    expect((await tally(['settings', 'set', 'wakeWords', '["hey_jarvis"]', '--data-dir', dir])).code).toBe(0);
    const start = (wav: string) =>
      run(process.execPath, ['bin/tally.js', 'start', '--board', 'sim', '--no-display', '--mic-file', wavPath(wav), '--exit-when-idle', '--data-dir', dir], { timeout: scaledTimeout(90_000) });
    expect((await start('tts_alexa')).stdout).toMatch(/done: 0 stream\(s\)/);
    expect((await start('tts_hey_jarvis')).stdout).toMatch(/done: 1 stream\(s\)/);
  }, scaledTimeout(180_000));
});

describe('--mic-file of another format', () => {
  it('is converted and says so once on stderr; a 16 kHz mono 16-bit file says nothing', async () => {
    const dir = tempDir();
    const wav44 = join(dir, 'a44.wav');
    await run('sox', [wavPath('tts_alexa'), '-r', '44100', '-c', '2', '-b', '24', wav44]);
    const args = (wav: string) => ['bin/tally.js', 'start', '--board', 'sim', '--wake', 'scripted', '--no-display', '--mic-file', wav, '--exit-when-idle', '--data-dir', join(dir, 'd')];
    const converted = await run(process.execPath, args(wav44), { timeout: scaledTimeout(60_000) });
    expect(converted.stderr.match(/converted to 16 kHz mono 16-bit/g)).toHaveLength(1);
    expect(converted.stderr).toMatch(/a44\.wav is 44100 Hz, 2 channel\(s\), 24-bit/);
    const native = await run(process.execPath, args(wavPath('tts_alexa')), { timeout: scaledTimeout(60_000) });
    expect(native.stderr).not.toMatch(/converted/);
  }, scaledTimeout(120_000));
});

describe('terminal view: what was understood and answered', () => {
  it('shows transcript and reply text on the owner\'s terminal', async () => {
    const { TypedEmitter } = await import('../../hal/base/typed-emitter.ts');
    const { showWords } = await import('../../src/cli/terminal-view.ts');
    class FakeDevice extends TypedEmitter<{ transcript: [number, string]; 'response-text': [number, string] }> {
      fire(e: 'transcript' | 'response-text', id: number, text: string) {
        this.emit(e, id, text);
      }
    }
    const device = new FakeDevice();
    const lines: string[] = [];
    const offs = showWords(device as never, (l) => lines.push(l));
    device.fire('transcript', 1, 'what time is it');
    device.fire('response-text', 1, 'It is noon.');
    offs.forEach((off) => off());
    device.fire('transcript', 2, 'not shown after close');
    expect(lines).toEqual(['you said: "what time is it"', 'reply:    "It is noon."']);
  });

  it('never prints them when stdout is not a terminal (a log)', async () => {
    const dir = tempDir();
    const r = await run(process.execPath, ['bin/tally.js', 'start', '--board', 'sim', '--wake', 'openwakeword', '--no-display', '--mic-file', wavPath('tts_alexa'), '--exit-when-idle', '--data-dir', dir], { timeout: scaledTimeout(90_000) });
    expect(r.stdout).toMatch(/done: 1 stream\(s\)/);
    expect(r.stdout + r.stderr).not.toMatch(/you said|reply: /);
  }, scaledTimeout(120_000));
});

describe('README', () => {
  it.each(['start', 'history', 'pair', 'doctor', 'wake-eval'])('names every option of tally %s (from its option table)', async (cmd) => {
    const readme = readFileSync('README.md', 'utf8');
    const refused = await tally([cmd, '--no-such-option']);
    const valid = refused.err.match(/\(valid: (.*)\)/)![1]!.split(', ').filter((o) => o !== '--help');
    // As a whole option name: --display-host must not count for --display.
    expect(valid.filter((o) => !new RegExp(`${o}(?![a-z-])`).test(readme))).toEqual([]);
  });
});
