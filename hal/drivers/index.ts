import type { RoleName, ValidBoard } from '../board-definition.ts';
import type { Clock } from '../base/clock.ts';
import type { Button } from '../button.ts';
import { HalError, loadOptionalPackage } from '../errors.ts';
import type { Led } from '../led.ts';
import type { LightRing } from '../light-ring.ts';
import type { Microphone } from '../microphone.ts';
import type { Relay } from '../relay.ts';
import type { TonePlayer } from '../tone-player.ts';
import { AlsaMicrophone } from './audio/alsa-microphone.ts';
import { SpeakerTonePlayer, type SpeakerConstructor } from './audio/speaker-tone-player.ts';
import { startWorkerSpeaker } from './audio/worker-speaker.ts';
import { aplaySpeaker } from './audio/aplay-speaker.ts';
import { openFirmata, type JohnnyFiveModule } from './firmata/firmata-connection.ts';
import { SharedFirmata } from './firmata/shared-firmata.ts';
import type { GpioBackend } from './gpio/digital-line.ts';
import { sysfsHeaderBase } from './gpio/gpio-chips.ts';
import { GpioLed, GpioRelay, openGpioButton } from './gpio/gpio-devices.ts';
import { chooseLibgpiod, LIBGPIOD_API_ENV } from './gpio/choose-libgpiod.ts';
import type { LibgpiodModule } from './gpio/libgpiod-backend.ts';
import type { Libgpiod2 } from './gpio/libgpiod2-ffi.ts';
import { LIBGPIOD2_MISSING, libgpiod2Path, loadLibgpiod2 } from './gpio/load-libgpiod2.ts';
import { OnoffBackend, type OnoffModule } from './gpio/onoff-backend.ts';
import { openKeyboardButton } from './keyboard-button.ts';
import { WS281X_SPI_HZ } from './ring-encoding.ts';
import { openSpiBus, type SpiDeviceModule } from './spi-bus.ts';
import { SpiRing } from './spi-ring.ts';
import { Ws281xRing, type Ws281xModule } from './ws281x-ring.ts';

export type RoleDevice = Relay | Led | LightRing | Button | TonePlayer | Microphone;

export interface DriverContext {
  clock: Clock;
  /** Keypresses for the keyboard button (desktop board). */
  inputKeys?: NodeJS.ReadableStream;
  /** Replaces package loading (tests inject the fakes of hal/fakes/). */
  loadPackage?: (pkg: string, device: string) => Promise<unknown>;
  /** Replaces the serial port of Firmata boards (tests pass mock-firmata). */
  firmataIo?: unknown;
  /** Where a driver says it fell back to another (the terminal). */
  warn?: (message: string) => void;
  /** TALLY_LIBGPIOD_API (auto | v1 | v2) and TALLY_LIBGPIOD2_PATH; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * Replaces binding libgpiod.so.3 (libgpiod v2) through koffi. With `loadPackage` set and
   * this not, v2 counts as absent: tests that inject the native layers never reach the
   * system's library.
   */
  loadLibgpiod2?: (device: string) => Promise<Libgpiod2>;
  /** The gpiochip device names the v2 back end opens; default: /dev/gpiochipN (tests). */
  gpioChipDevices?: () => string[];
}

/** Which optional package each driver loads: used here and by `tally doctor`. */
export const DRIVER_PACKAGES: Record<string, string | undefined> = {
  onoff: 'onoff',
  libgpiod: 'node-libgpiod',
  firmata: 'johnny-five',
  ws281x: 'rpi-ws281x-native',
  'ws281x-spi': 'spi-device',
  apa102: 'spi-device',
  speaker: 'speaker',
  aplay: undefined, // a child process (alsa-utils), no package
  alsa: undefined, // a child process (arecord), no package
  keyboard: undefined,
};

/**
 * Packages a driver can use besides DRIVER_PACKAGES' one (`doctor --packages` lists both):
 * libgpiod v2 (Debian 13 Trixie) goes through koffi; node-libgpiod serves only libgpiod v1.
 */
export const DRIVER_EXTRA_PACKAGES: Record<string, readonly string[] | undefined> = {
  libgpiod: ['koffi'],
};

export const APA102_SPI_HZ = 4_000_000;

const firmataByBoard = new WeakMap<ValidBoard, Promise<SharedFirmata>>();

/**
 * Opens the real device serving one role of a board. Called by hal/create-devices.ts for
 * every role whose driver is not `sim`; native packages load here, lazily, only for the
 * drivers the board names.
 */
export async function createRoleDevice(role: RoleName, spec: unknown, board: ValidBoard, ctx: DriverContext): Promise<RoleDevice> {
  const load = <T>(pkg: string, device: string): Promise<T> => (ctx.loadPackage ? (ctx.loadPackage(pkg, device) as Promise<T>) : loadOptionalPackage<T>(pkg, device));
  const where = `roles.${role}`;
  const gpio = () => gpioBackend(role, spec as { driver: string }, board, ctx, load);
  switch (role) {
    case 'microphone': {
      const m = spec as ValidBoard['roles']['microphone'];
      if (m.driver !== 'alsa') throw unsupported(role, m.driver, ['alsa']);
      return new AlsaMicrophone(ctx.clock, { device: m.device, frameSamples: m.frameSamples });
    }
    case 'relay': {
      const r = spec as NonNullable<ValidBoard['roles']['relay']>;
      return GpioRelay.open(await gpio(), r.pin, { chip: r.chip, activeLow: r.activeLow, sensePin: r.sensePin });
    }
    case 'muteLed': {
      const l = spec as NonNullable<ValidBoard['roles']['muteLed']>;
      return GpioLed.open(await gpio(), l.pin, { chip: l.chip, activeLow: l.activeLow });
    }
    case 'actionButton':
    case 'muteButton': {
      const b = spec as NonNullable<ValidBoard['roles']['actionButton']>;
      const opts = { debounceMs: b.debounceMs, longPressMs: b.longPressMs };
      if (b.driver === 'keyboard') {
        if (!ctx.inputKeys) throw new HalError('DEVICE_UNAVAILABLE', where, 'the keyboard button needs an interactive terminal (stdin)');
        return openKeyboardButton(ctx.inputKeys, b.key!, ctx.clock, opts);
      }
      return openGpioButton(await gpio(), b.pin!, ctx.clock, { chip: b.chip, activeLow: b.activeLow, ...opts });
    }
    case 'ring':
      return openRing(spec as NonNullable<ValidBoard['roles']['ring']>, where, load);
    case 'tones': {
      const t = spec as NonNullable<ValidBoard['roles']['tones']>;
      if (t.driver !== 'speaker' && t.driver !== 'aplay') throw unsupported(role, t.driver, ['speaker', 'aplay']);
      if (t.driver === 'aplay') return new SpeakerTonePlayer(aplaySpeaker(), { device: t.device });
      const speakerPlayer = async () => {
        if (ctx.loadPackage) return new SpeakerTonePlayer(await load<SpeakerConstructor>('speaker', where), { device: t.device });
        // The real package runs in a worker thread: its drain on close is synchronous.
        const worker = await startWorkerSpeaker(where);
        return new SpeakerTonePlayer(worker.Speaker, { device: t.device, onClose: worker.terminate });
      };
      try {
        return await speakerPlayer();
      } catch (e) {
        // `speaker` is optional and does not build on linux/arm64: aplay plays the same PCM.
        if (!(e instanceof HalError && e.code === 'DRIVER_MISSING')) throw e;
        ctx.warn?.(`${where}: the speaker package is not installed (${e.message}); playing through aplay instead`);
        return new SpeakerTonePlayer(aplaySpeaker(), { device: t.device });
      }
    }
    default:
      throw new HalError('INVALID_ARGUMENT', String(role), 'unknown role', {
        validOptions: ['microphone', 'relay', 'muteLed', 'ring', 'actionButton', 'muteButton', 'tones'],
      });
  }
}

type LoadPackage = <T>(pkg: string, device: string) => Promise<T>;

/** The GPIO backend a pin role's driver names; one Firmata connection per board, shared. */
async function gpioBackend(role: RoleName, s: { driver: string }, board: ValidBoard, ctx: DriverContext, load: LoadPackage): Promise<GpioBackend> {
  const where = `roles.${role}`;
  switch (s.driver) {
    case 'onoff':
      return new OnoffBackend(await load<OnoffModule>('onoff', where), await sysfsHeaderBase());
    case 'libgpiod':
      return (await chooseLibgpiod(where, ctx.clock, libgpiodLoaders(ctx, where, load), (ctx.env ?? process.env)[LIBGPIOD_API_ENV], ctx.gpioChipDevices ? { listDevices: ctx.gpioChipDevices } : {})).backend;
    case 'firmata': {
      let shared = firmataByBoard.get(board);
      if (!shared) {
        const port = board.serialPort!;
        shared = (async () => {
          const conn = await openFirmata(port, { johnnyFive: await load<JohnnyFiveModule>('johnny-five', where), io: ctx.firmataIo });
          return new SharedFirmata(conn, () => firmataByBoard.delete(board));
        })();
        firmataByBoard.set(board, shared);
        shared.catch(() => firmataByBoard.delete(board));
      }
      return shared;
    }
    default:
      throw unsupported(role, s.driver, ['onoff', 'libgpiod', 'firmata']);
  }
}

/** v2 (libgpiod.so.3 through koffi) and v1 (node-libgpiod), as the context provides them. */
function libgpiodLoaders(ctx: DriverContext, where: string, load: LoadPackage) {
  const env = ctx.env ?? process.env;
  return {
    v2: (): Promise<Libgpiod2> => {
      if (ctx.loadLibgpiod2) return ctx.loadLibgpiod2(where);
      if (ctx.loadPackage) return Promise.reject(new HalError(LIBGPIOD2_MISSING, where, 'libgpiod v2 is not loaded when the native packages are injected'));
      return loadLibgpiod2(where, libgpiod2Path(env));
    },
    v1: () => load<LibgpiodModule>('node-libgpiod', where),
  };
}

async function openRing(r: NonNullable<ValidBoard['roles']['ring']>, where: string, load: LoadPackage): Promise<RoleDevice> {
  const common = { pixelCount: r.pixelCount, order: r.order, maxBrightness: r.maxBrightness };
  if (r.driver === 'ws281x') return new Ws281xRing(await load<Ws281xModule>('rpi-ws281x-native', where), { ...common, pin: r.pin });
  if (r.driver === 'ws281x-spi' || r.driver === 'apa102') {
    const hz = r.driver === 'apa102' ? APA102_SPI_HZ : WS281X_SPI_HZ;
    const bus = await openSpiBus(await load<SpiDeviceModule>('spi-device', where), r.spiBus ?? 0, r.spiDevice ?? 0, hz, `${r.driver} ring`);
    return new SpiRing(bus, r.driver, common);
  }
  throw unsupported('ring', r.driver, ['ws281x', 'ws281x-spi', 'apa102']);
}

function unsupported(role: string, driver: string, valid: string[]): HalError {
  return new HalError('INVALID_ARGUMENT', `roles.${role}`, `driver "${driver}" cannot serve this role here`, { validOptions: valid });
}
