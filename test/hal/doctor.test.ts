import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../support/memory-io.ts';
import { run as doctor } from '../../src/cli/commands/doctor.ts';
import type { ProbeEnv } from '../../hal/drivers/probe.ts';
import { writeAlsaTestConfig } from './alsa-test-config.ts';

/** Doctor's report mixes stdout and stderr; it reads the real environment unless told otherwise. */
const doctorIO = (env: NodeJS.ProcessEnv = process.env) => memoryIO({ env, errorsToLines: true });

/** A Raspberry Pi 5 as the probes would see it, with knobs for what is broken. */
function pi5(opts: { spi?: 'ok' | 'absent' | 'denied'; missingPkg?: string; alsaFails?: boolean; chips?: { name: string; label: string }[] } = {}): ProbeEnv & { commands: string[] } {
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
    gpioChips: async () => opts.chips ?? [{ name: 'gpiochip0', label: 'gpio-brcmstb@107d508500' }, { name: 'gpiochip4', label: 'pinctrl-rp1' }],
  };
}

describe('tally doctor', () => {
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
    expect(io.lines.join('\n')).toMatch(/relay\s+libgpiod\s+works\s+header chip gpiochip4 \(pinctrl-rp1\)/);
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
    expect(await doctor(['--board', 'rpi5-neopixel-spi', '--json'], io, pi5({ missingPkg: 'node-libgpiod' }))).toBe(1);
    const report = JSON.parse(io.lines[0]!);
    expect(report.usable).toBe(false);
    const relay = report.roles.find((r: { role: string }) => r.role === 'relay');
    expect(relay).toMatchObject({ status: 'missing', detail: 'package node-libgpiod is not installed', fix: expect.stringContaining('npm install node-libgpiod') });
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
