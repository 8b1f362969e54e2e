import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../support/memory-io.ts';
import { run as doctor } from '../../src/cli/commands/doctor.ts';
import { systemProbeEnv, type ProbeEnv } from '../../hal/drivers/probe.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import { HalError, loadOptionalPackage } from '../../hal/errors.ts';
import { chooseLibgpiod } from '../../hal/drivers/gpio/choose-libgpiod.ts';
import type { LibgpiodModule } from '../../hal/drivers/gpio/libgpiod-backend.ts';
import { gpiochipNodes } from '../../hal/drivers/gpio/libgpiod2-backend.ts';
import { KOFFI_MISSING, LIBGPIOD2_MISSING } from '../../hal/drivers/gpio/load-libgpiod2.ts';
import { createFakeLibgpiod, FakeGpioWorld } from '../../hal/fakes/fake-gpio.ts';
import { REAL_LIBGPIOD2_PATH, realLibgpiod2SkipReason } from './support/real-libgpiod2.ts';

import { writeAlsaTestConfig } from './alsa-test-config.ts';

/** Doctor's report mixes stdout and stderr; it reads the real environment unless told otherwise. */
const doctorIO = (env: NodeJS.ProcessEnv = process.env) => memoryIO({ env, errorsToLines: true });

/** A Raspberry Pi 5 as the probes would see it, with knobs for what is broken. */
function pi5(opts: { spi?: 'ok' | 'absent' | 'denied'; missingPkg?: string; alsaFails?: boolean; chips?: { name: string; label: string }[]; libgpiod?: () => Promise<never> } = {}): ProbeEnv & { commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    canAccess: async (path) => (path.startsWith('/dev/spidev') ? (opts.spi ?? 'ok') : path === '/dev/gpiochip0' || path === '/dev/gpiochip4' ? 'ok' : 'absent'),
    listDir: async () => ['gpiochip0', 'gpiochip4', 'null', 'spidev0.0'],
    hasPackage: (pkg) => pkg !== opts.missingPkg,
    run: async (cmd) => {
      commands.push(cmd);
      return opts.alsaFails && cmd === 'arecord' ? { code: 1, stderr: 'arecord: main:831: audio open error: No such device\n' } : { code: 0, stderr: '' };
    },
    stdinIsTTY: false,
    libgpiod:
      opts.libgpiod ??
      (async () => ({ detail: 'libgpiod 2.2.1 (v2 API, libgpiod.so.3 through koffi)', chips: opts.chips ?? [{ name: 'gpiochip0', label: 'gpio-brcmstb@107d508500' }, { name: 'gpiochip4', label: 'pinctrl-rp1' }] })),
  };
}

describe('tally doctor', () => {
  it('--packages prints the optional driver packages a board needs (what deploy/install.sh installs)', async () => {
    const run = async (board: string) => {
      const io = memoryIO();
      expect(await main(['doctor', '--board', board, '--packages'], io)).toBe(0);
      return io.lines;
    };
    expect(await run('sim')).toEqual(['']);
    // libgpiod: koffi for libgpiod v2 (Trixie), node-libgpiod for v1 (Bookworm; the installer keeps it optional).
    expect(await run('rpi5-neopixel-spi')).toEqual(['koffi node-libgpiod speaker spi-device']);
    expect(await run('rpi-neopixel-ring')).toEqual(['koffi node-libgpiod rpi-ws281x-native speaker']);
    expect(await run('arduino-firmata')).toEqual(['johnny-five speaker']);
  });

  it('sim: every role works, exit 0', async () => {
    const io = doctorIO();
    expect(await main(['doctor', '--board', 'sim'], io)).toBe(0);
    // Seven roles, and the echo canceller (libspeexdsp through koffi: .ci/run installs it).
    expect(io.lines.filter((l) => /\bworks\b/.test(l))).toHaveLength(8);
    expect(io.lines.some((l) => /echo cancel\s+speex\s+works/.test(l))).toBe(true);
    expect(io.lines.at(-1)).toBe('board sim is usable');
  });

  it('a healthy Pi 5 is usable; each role probed (ALSA capture and playback actually opened)', async () => {
    const io = doctorIO();
    const env = pi5();
    expect(await doctor(['--board', 'rpi5-neopixel-spi'], io, env)).toBe(0);
    expect(env.commands.sort()).toEqual(['aplay', 'arecord']);
    expect(io.lines.join('\n')).toMatch(/mute: hardware/);
    expect(io.lines.join('\n')).toMatch(/relay\s+libgpiod\s+works\s+libgpiod 2\.2\.1 \(v2 API, libgpiod\.so\.3 through koffi\); header chip gpiochip4 \(pinctrl-rp1\)/);
  });

  it('a GPIO chip without a known header label is missing, with how to name it', async () => {
    const io = doctorIO();
    expect(await doctor(['--board', 'rpi5-neopixel-spi'], io, pi5({ chips: [{ name: 'gpiochip0', label: 'mystery' }] }))).toBe(1);
    expect(io.lines.join('\n')).toMatch(/relay\s+libgpiod\s+missing\s+.*gpiochip0=mystery[\s\S]*fix:\s+set roles.relay.chip/);
  });

  it('explains what is missing and how to fix it, exit 1', async () => {
    const io = doctorIO();
    expect(await doctor(['--board', 'rpi5-neopixel-spi'], io, pi5({ spi: 'denied', alsaFails: true }))).toBe(1);
    const text = io.lines.join('\n');
    expect(text).toMatch(/ring\s+ws281x-spi\s+missing\s+\/dev\/spidev0.0 is not writable/);
    expect(text).toMatch(/fix:\s+enable SPI .*usermod -aG spi/);
    expect(text).toMatch(/microphone\s+alsa\s+missing\s+ALSA capture "default" failed: .*No such device/);
    expect(io.lines.at(-1)).toBe('board rpi5-neopixel-spi is NOT usable: 2 roles missing');
  });

  it('a missing driver package is named with its install command (--json)', async () => {
    const io = doctorIO();
    expect(await doctor(['--board', 'rpi5-neopixel-spi', '--json'], io, pi5({ missingPkg: 'spi-device' }))).toBe(1);
    const report = JSON.parse(io.lines[0]!);
    expect(report.usable).toBe(false);
    const ring = report.roles.find((r: { role: string }) => r.role === 'ring');
    expect(ring).toMatchObject({ status: 'missing', detail: 'package spi-device is not installed', fix: expect.stringContaining('npm install spi-device') });
  });

  it('libgpiod: doctor names the API in use; when neither loads it names both and the fix for each OS (--json)', async () => {
    const clock = new ManualClock();
    const v2Missing = () => Promise.reject(new HalError(LIBGPIOD2_MISSING, 'doctor', 'libgpiod.so.3 (libgpiod v2) could not be loaded'));
    const koffiMissing = () => Promise.reject(new HalError(KOFFI_MISSING, 'doctor', 'koffi is not installed'));
    const v1Missing = () => loadOptionalPackage<LibgpiodModule>('tally-no-such-node-libgpiod', 'doctor');
    const relayOf = async (libgpiod: () => Promise<never>) => {
      const io = doctorIO();
      await doctor(['--board', 'rpi5-neopixel-spi', '--json'], io, pi5({ libgpiod }));
      return JSON.parse(io.lines[0]!).roles.find((r: { role: string }) => r.role === 'relay');
    };
    const none = await relayOf(() => chooseLibgpiod('doctor', clock, { v2: v2Missing, v1: v1Missing }, undefined) as Promise<never>);
    expect(none).toMatchObject({ status: 'missing', detail: expect.stringMatching(/neither libgpiod\.so\.3 \(v2\) nor node-libgpiod \(v1\)/), fix: expect.stringContaining('apt install libgpiod3, npm install koffi') });
    const noKoffi = await relayOf(() => chooseLibgpiod('doctor', clock, { v2: koffiMissing, v1: v1Missing }, undefined) as Promise<never>);
    expect(noKoffi).toMatchObject({ status: 'missing', detail: expect.stringContaining('koffi'), fix: expect.stringMatching(/^npm install koffi/) });
    const forced = await relayOf(() => chooseLibgpiod('doctor', clock, { v2: v2Missing, v1: v1Missing }, 'v2') as Promise<never>);
    expect(forced).toMatchObject({ status: 'missing', fix: expect.stringMatching(/^sudo apt install libgpiod3/) });
    // v1 through the real chooser, over the fake node-libgpiod
    const v1 = await relayOf(async () => {
      const c = await chooseLibgpiod('doctor', clock, { v2: v2Missing, v1: async () => createFakeLibgpiod(new FakeGpioWorld(), [{ name: 'gpiochip0', label: 'pinctrl-rp1' }]) }, undefined);
      return { detail: c.detail, chips: c.backend.listChips() } as never;
    });
    expect(v1).toMatchObject({ status: 'works', detail: 'libgpiod v1 API (node-libgpiod); header chip gpiochip0 (pinctrl-rp1); pin 17' });
  });

  it.skipIf(realLibgpiod2SkipReason)(`libgpiod on this machine: v2 when libgpiod.so.3 loads through koffi${realLibgpiod2SkipReason ? ` — SKIPPED: ${realLibgpiod2SkipReason}` : ''}`, async () => {
    const v2 = await systemProbeEnv(false, { ...process.env, TALLY_LIBGPIOD_API: '', TALLY_LIBGPIOD2_PATH: REAL_LIBGPIOD2_PATH }).libgpiod();
    expect(v2.detail).toMatch(/^libgpiod 2\.\d+(\.\d+)? \(v2 API, \S*libgpiod\.so\.3 through koffi\)$/);
    if (!gpiochipNodes().length) expect(v2.chips).toEqual([]);
  });

  it('libgpiod on this machine without libgpiod.so.3: v1 node-libgpiod when it loads; forced v2 and a bad API are errors', async () => {
    const noV2 = { ...process.env, TALLY_LIBGPIOD_API: '', TALLY_LIBGPIOD2_PATH: '/nonexistent/libgpiod.so.3' };
    const hasV1 = await import('node-libgpiod').then(() => true, () => false);
    if (hasV1) expect((await systemProbeEnv(false, noV2).libgpiod()).detail).toBe('libgpiod v1 API (node-libgpiod)');
    else await expect(systemProbeEnv(false, noV2).libgpiod()).rejects.toMatchObject({ code: 'DRIVER_LIBGPIOD_MISSING' });
    await expect(systemProbeEnv(false, { ...noV2, TALLY_LIBGPIOD_API: 'v2' }).libgpiod()).rejects.toMatchObject({ code: 'DRIVER_LIBGPIOD2_MISSING' });
    await expect(systemProbeEnv(false, { ...noV2, TALLY_LIBGPIOD_API: 'v3' }).libgpiod()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', validOptions: ['auto', 'v1', 'v2'] });
  });

  it('desktop on this machine (real probes, ALSA null device): audio works, keyboard needs a terminal', async () => {
    const { env } = await writeAlsaTestConfig('/dev/null');
    const io = doctorIO({ ...process.env, ...env });
    expect(await main(['doctor', '--board', 'desktop'], io)).toBe(1);
    const text = io.lines.join('\n');
    expect(text).toMatch(/microphone\s+alsa\s+works/);
    expect(text).toMatch(/tones\s+speaker\s+works/);
    expect(text).toMatch(/actionButton\s+keyboard\s+missing\s+stdin is not an interactive terminal/);
    expect(text).toMatch(/mute: software-only/);
  });

  it('an unknown board lists the valid boards', async () => {
    const io = doctorIO();
    expect(await main(['doctor', '--board', 'pi'], io)).toBe(1);
    expect(io.lines[0]).toMatch(/BOARD_UNKNOWN.*valid: .*rpi-neopixel-ring/);
  });

  it('echo cancellation: a missing library is reported with its fix, and a PipeWire echo-cancel source is noticed', async () => {
    const { probeEcho } = await import('../../hal/aec/probe-echo.ts');
    const off = await probeEcho({ canceller: 'none', delayMs: 0 }, { listSources: async () => '51\talsa_input.platform\tPipeWire\ts16le 1ch 16000Hz\n52\techo-cancel-source\tPipeWire\tfloat32le 1ch 48000Hz\n' });
    expect(off).toMatchObject({ status: 'off', systemEchoCancelSource: 'echo-cancel-source' });
    const none = await probeEcho({ canceller: 'speex', delayMs: 40 }, { listSources: async () => '51\talsa_input.platform\tPipeWire\n' });
    expect(none).toMatchObject({ status: 'works', systemEchoCancelSource: null });
  });
});
