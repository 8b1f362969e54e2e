import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { RoleName, ValidBoard } from '../board-definition.ts';
import { DRIVER_PACKAGES } from './index.ts';
import { spidevPath } from './spi-bus.ts';
import { HalError, loadOptionalPackage } from '../errors.ts';
import { SystemClock } from '../base/clock.ts';
import { chooseLibgpiod, LIBGPIOD_API_ENV } from './gpio/choose-libgpiod.ts';
import { pickHeaderChip, type ChipInfo } from './gpio/gpio-chips.ts';
import type { LibgpiodModule } from './gpio/libgpiod-backend.ts';
import { KOFFI_MISSING, LIBGPIOD2_MISSING, libgpiod2Path, loadLibgpiod2 } from './gpio/load-libgpiod2.ts';

/**
 * What `tally doctor` checks for each role of a board, without opening the devices for
 * real use: is the driver's package installed, is the device node there and writable
 * by this user, does ALSA open the capture/playback device. Nothing captured is kept.
 */
export type ProbeStatus = 'works' | 'missing';

export interface RoleProbe {
  role: RoleName;
  driver: string;
  status: ProbeStatus;
  detail: string;
  /** How to fix it, when missing. */
  fix?: string;
}

/** The system as the probes see it; tests pass a scripted one. */
export interface ProbeEnv {
  /** Whether `path` exists and this user may read (and write, when asked). */
  canAccess(path: string, write: boolean): Promise<'ok' | 'absent' | 'denied'>;
  listDir(path: string): Promise<string[]>;
  hasPackage(pkg: string): boolean;
  /** Runs a command with a timeout; resolves its exit code (or null when killed) and stderr. */
  run(cmd: string, args: string[], stdin?: Buffer): Promise<{ code: number | null; stderr: string }>;
  stdinIsTTY: boolean;
  /**
   * The libgpiod back end the `libgpiod` driver would use here (v2 through koffi, or v1
   * node-libgpiod: hal/drivers/gpio/choose-libgpiod.ts), and the gpiochips it reports.
   * Rejects with the driver's HalError when none loads.
   */
  libgpiod(): Promise<{ detail: string; chips: ChipInfo[] }>;
  /** `pactl list short sources` (the echo-cancel check); absent: pactl is asked directly. */
  listAudioSources?(): Promise<string>;
}

export function systemProbeEnv(stdinIsTTY: boolean, env: NodeJS.ProcessEnv = process.env): ProbeEnv {
  const require = createRequire(import.meta.url);
  return {
    async canAccess(path, write) {
      try {
        await access(path, constants.F_OK);
      } catch {
        return 'absent';
      }
      try {
        await access(path, constants.R_OK | (write ? constants.W_OK : 0));
        return 'ok';
      } catch {
        return 'denied';
      }
    },
    listDir: (path) => readdir(path).catch(() => []),
    hasPackage(pkg) {
      try {
        require.resolve(pkg);
        return true;
      } catch {
        return false;
      }
    },
    run: (cmd, args, stdin) =>
      new Promise((resolve) => {
        const child = spawn(cmd, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        child.on('error', (e) => {
          clearTimeout(timer);
          resolve({ code: 127, stderr: e.message });
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stderr });
        });
        child.stdin.on('error', () => {});
        child.stdin.end(stdin ?? Buffer.alloc(0));
      }),
    stdinIsTTY,
    async libgpiod() {
      const choice = await chooseLibgpiod(
        'doctor',
        new SystemClock(),
        { v2: () => loadLibgpiod2('doctor', libgpiod2Path(env)), v1: () => loadOptionalPackage<LibgpiodModule>('node-libgpiod', 'doctor') },
        env[LIBGPIOD_API_ENV],
      );
      return { detail: choice.detail, chips: choice.backend.listChips() };
    },
  };
}

const ROLES: RoleName[] = ['microphone', 'relay', 'muteLed', 'ring', 'actionButton', 'muteButton', 'tones'];

export async function probeBoard(board: ValidBoard, env: ProbeEnv): Promise<RoleProbe[]> {
  const out: RoleProbe[] = [];
  for (const role of ROLES) {
    const spec = board.roles[role] as ({ driver: string } & Record<string, unknown>) | undefined;
    if (spec) out.push({ role, driver: spec.driver, ...(await probeRole(role, spec, board, env)) });
  }
  return out;
}

type Verdict = { status: ProbeStatus; detail: string; fix?: string };
const works = (detail: string): Verdict => ({ status: 'works', detail });
const missing = (detail: string, fix: string): Verdict => ({ status: 'missing', detail, fix });

async function probeRole(role: RoleName, spec: { driver: string } & Record<string, unknown>, board: ValidBoard, env: ProbeEnv): Promise<Verdict> {
  const d = spec.driver;
  if (d === 'sim') return works('simulated');
  const pkg = DRIVER_PACKAGES[d];
  // libgpiod has two bindings (v2 through koffi, v1 node-libgpiod): its probe asks which loads.
  if (pkg && d !== 'libgpiod' && !env.hasPackage(pkg)) {
    // Tones fall back to aplay without the package (it does not build on linux/arm64).
    if (d === 'speaker') {
      const v = await probeAlsa('aplay', (spec.device as string) ?? 'default', env);
      return v.status === 'works' ? works(`${v.detail} through aplay (package speaker is not installed)`) : v;
    }
    return missing(`package ${pkg} is not installed`, `npm install ${pkg} (on the device; it builds a native module)`);
  }
  const node: NodeCheck = async (path, write, fix) => {
    const a = await env.canAccess(path, write);
    if (a === 'absent') return missing(`${path} does not exist`, fix);
    if (a === 'denied') return missing(`${path} is not ${write ? 'writable' : 'readable'} by this user`, fix);
    return undefined;
  };
  switch (d) {
    case 'libgpiod':
      return probeLibgpiod(role, spec, env, node);
    case 'onoff':
      return (await node('/sys/class/gpio/export', true, 'sysfs GPIO is gone on this kernel or not writable: use the libgpiod driver, or add the user to the gpio group')) ?? works(`sysfs GPIO writable; pin ${spec.pin}`);
    case 'ws281x':
      return (await node('/dev/mem', true, 'rpi_ws281x needs root for PWM DMA (run the service as root for this board) — or use the ws281x-spi driver on GPIO10 instead')) ?? works(`/dev/mem accessible; GPIO${spec.pin ?? 18}`);
    case 'ws281x-spi':
    case 'apa102': {
      const path = spidevPath((spec.spiBus as number) ?? 0, (spec.spiDevice as number) ?? 0);
      return (await node(path, true, 'enable SPI (raspi-config nonint do_spi 0, or dtparam=spi=on in config.txt), then sudo usermod -aG spi $USER')) ?? works(`${path} accessible`);
    }
    case 'firmata': {
      const port = board.serialPort!;
      return (await node(port, true, 'plug in the Arduino (flashed with StandardFirmata), then sudo usermod -aG dialout $USER')) ?? works(`${port} accessible`);
    }
    case 'keyboard':
      return env.stdinIsTTY ? works(`key "${spec.key === ' ' ? 'space' : spec.key}" on this terminal`) : missing('stdin is not an interactive terminal', 'run tally in a terminal, or use a board with a GPIO button');
    case 'alsa':
    case 'speaker':
    case 'aplay':
      return probeAlsa(d, (spec.device as string) ?? 'default', env);
    default:
      return missing(`no probe for driver ${d}`, 'check the board file');
  }
}

type NodeCheck = (path: string, write: boolean, fix: string) => Promise<Verdict | undefined>;

async function probeLibgpiod(role: RoleName, spec: Record<string, unknown>, env: ProbeEnv, node: NodeCheck): Promise<Verdict> {
  const chips = (await env.listDir('/dev')).filter((f) => /^gpiochip\d+$/.test(f));
  const wanted = typeof spec.chip === 'string' ? [spec.chip] : chips;
  if (!wanted.length) return missing('no /dev/gpiochip* device', 'this is not a Raspberry Pi, or the kernel lacks the GPIO character device');
  for (const chip of wanted) {
    const bad = await node(`/dev/${chip}`, true, 'sudo usermod -aG gpio $USER, then log in again');
    if (bad) return bad;
  }
  let gpio: { detail: string; chips: ChipInfo[] };
  try {
    gpio = await env.libgpiod();
  } catch (e) {
    return missing((e as Error).message, libgpiodFix(e));
  }
  let header: string;
  try {
    const name = pickHeaderChip(gpio.chips, typeof spec.chip === 'string' ? spec.chip : undefined);
    header = `${name} (${gpio.chips.find((c) => c.name === name)?.label ?? '?'})`;
  } catch (e) {
    return missing(`${gpio.detail}: ${(e as Error).message}`, 'set roles.' + role + '.chip to the chip that carries the header pins (gpiodetect lists them)');
  }
  return works(`${gpio.detail}; header chip ${header}; pin ${spec.pin}`);
}

function libgpiodFix(e: unknown): string {
  const code = e instanceof HalError ? e.code : '';
  if (code === KOFFI_MISSING) return 'npm install koffi (libgpiod v2, Debian 13 / Raspberry Pi OS Trixie); on Debian 12 Bookworm: npm install node-libgpiod';
  if (code === LIBGPIOD2_MISSING) return `sudo apt install libgpiod3 (or unset ${LIBGPIOD_API_ENV} to fall back to node-libgpiod on Debian 12 Bookworm)`;
  if (code === 'DRIVER_MISSING') return 'npm install node-libgpiod (on the device; it builds a native module against libgpiod 1.x, Debian 12 Bookworm)';
  if (code === 'DEVICE_UNAVAILABLE') return 'sudo usermod -aG gpio $USER, then log in again';
  if (code === 'INVALID_ARGUMENT') return `set ${LIBGPIOD_API_ENV} to auto, v1 or v2`;
  return 'on Debian 13 / Raspberry Pi OS Trixie: sudo apt install libgpiod3, npm install koffi; on Debian 12 Bookworm: npm install node-libgpiod';
}

/** Capture 10 ms (or play 10 ms of silence) and throw it away: proves the device opens in our format. */
async function probeAlsa(driver: 'alsa' | 'speaker' | 'aplay', device: string, env: ProbeEnv): Promise<Verdict> {
  if (driver === 'alsa') {
    const r = await env.run('arecord', ['-D', device, '-f', 'S16_LE', '-r', '16000', '-c', '1', '-t', 'raw', '-s', '160', '-q']);
    if (r.code === 127) return missing('arecord is not installed', 'sudo apt install alsa-utils');
    if (r.code !== 0) return missing(`ALSA capture "${device}" failed: ${lastLine(r.stderr)}`, 'list devices with arecord -L, set roles.microphone.device; add the user to the audio group');
    return works(`ALSA capture "${device}" opened at 16 kHz mono`);
  }
  const r = await env.run('aplay', ['-D', device, '-f', 'S16_LE', '-r', '22050', '-c', '1', '-t', 'raw', '-q'], Buffer.alloc(441 * 2));
  if (r.code === 127) return missing('aplay is not installed', 'sudo apt install alsa-utils');
  if (r.code !== 0) return missing(`ALSA playback "${device}" failed: ${lastLine(r.stderr)}`, 'list devices with aplay -L, set roles.tones.device; add the user to the audio group');
  return works(`ALSA playback "${device}" opened`);
}

function lastLine(s: string): string {
  return s.trim().split('\n').at(-1) ?? 'unknown error';
}
