import { z } from 'zod';
import { TallyError } from './base/errors.ts';

/**
 * A board is typed data: which driver serves each role and on which pins. No logic.
 * Boards are written `satisfies BoardDefinition` and validated by `validateBoard`, which
 * names the offending field and the valid choices.
 *
 * Pin numbers are BCM GPIO numbers on a Raspberry Pi (0..27), or Firmata pin numbers
 * on an Arduino (0..69).
 */
const gpioDrivers = ['sim', 'onoff', 'libgpiod', 'firmata'] as const;
export const GPIO_DRIVERS = gpioDrivers;
export const RING_DRIVERS = ['sim', 'ws281x', 'ws281x-spi', 'apa102'] as const;
export const BUTTON_DRIVERS = [...gpioDrivers, 'keyboard'] as const;
/** `aplay`: alsa-utils in a child process, where the `speaker` package does not build (arm64). */
export const TONE_DRIVERS = ['sim', 'speaker', 'aplay'] as const;
export const MIC_DRIVERS = ['sim', 'alsa'] as const;

const pin = z.number().int().min(0).max(69);

const gpioLine = {
  pin,
  /** libgpiod chip, e.g. `gpiochip0` (Pi 1–4) or `gpiochip4`/`gpiochip0` (Pi 5). */
  chip: z.string().min(1).optional(),
  activeLow: z.boolean().optional(),
};

export const relayRoleSchema = z
  .object({
    driver: z.enum(gpioDrivers),
    ...gpioLine,
    /** GPIO wired to the relay's actual contact, read back to catch a stuck relay. */
    sensePin: pin.optional(),
  })
  .strict();

export const ledRoleSchema = z.object({ driver: z.enum(gpioDrivers), ...gpioLine }).strict();

export const buttonRoleSchema = z
  .object({
    driver: z.enum(BUTTON_DRIVERS),
    pin: pin.optional(),
    chip: z.string().min(1).optional(),
    activeLow: z.boolean().optional(),
    /** For the keyboard driver: the key that presses it. */
    key: z.string().length(1).optional(),
    debounceMs: z.number().int().min(0).max(1000).optional(),
    longPressMs: z.number().int().min(200).max(10_000).optional(),
  })
  .strict();

export const ringRoleSchema = z
  .object({
    driver: z.enum(RING_DRIVERS),
    pixelCount: z.number().int().min(1).max(300),
    /** Data pin for ws281x (GPIO18 = PWM0). */
    pin: pin.optional(),
    spiBus: z.number().int().min(0).max(6).optional(),
    spiDevice: z.number().int().min(0).max(3).optional(),
    /** Colour order on the wire. */
    order: z.enum(['rgb', 'grb', 'bgr']).optional(),
    /** Brightness cap 0..1: current budget of the supply and eye comfort. */
    maxBrightness: z.number().min(0.05).max(1).optional(),
    /** Pixel index that points "forward" (0 degrees). */
    offset: z.number().int().min(0).optional(),
  })
  .strict();

export const toneRoleSchema = z
  .object({ driver: z.enum(TONE_DRIVERS), device: z.string().min(1).optional() })
  .strict();

export const micRoleSchema = z
  .object({
    driver: z.enum(MIC_DRIVERS),
    /** ALSA capture device, e.g. `default`, `plughw:1,0`. */
    device: z.string().min(1).optional(),
    frameSamples: z.number().int().min(160).max(16_000).optional(),
  })
  .strict();

/**
 * Echo cancellation of the board's own playback (barge-in). `delayMs` is the expected
 * time from handing audio to the output device until the mic hears it (output buffer +
 * capture buffer + air); the device refines it by cross-correlation while it plays.
 * `canceller: 'none'` keeps the self-wake guard only (deaf while playing).
 */
export const aecSchema = z
  .object({
    canceller: z.enum(['speex', 'none']),
    delayMs: z.number().min(0).max(500),
    tailMs: z.number().int().min(32).max(500).optional(),
  })
  .strict();

export const boardSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    description: z.string().min(1),
    /** Serial port for Firmata boards, e.g. /dev/ttyACM0. */
    serialPort: z.string().min(1).optional(),
    aec: aecSchema.optional(),
    roles: z
      .object({
        microphone: micRoleSchema,
        relay: relayRoleSchema.optional(),
        muteLed: ledRoleSchema.optional(),
        ring: ringRoleSchema.optional(),
        actionButton: buttonRoleSchema.optional(),
        muteButton: buttonRoleSchema.optional(),
        tones: toneRoleSchema.optional(),
      })
      .strict(),
  })
  .strict();

export type BoardDefinition = z.input<typeof boardSchema>;
export type ValidBoard = z.output<typeof boardSchema>;
export type RoleName = keyof ValidBoard['roles'];

/** Validates a board definition; throws BOARD_INVALID naming the field and valid choices. */
export function validateBoard(input: unknown, source = 'board'): ValidBoard {
  const parsed = boardSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    const valid = 'values' in issue && Array.isArray(issue.values) ? issue.values.map(String) : undefined;
    const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    throw new TallyError('BOARD_INVALID', `${source}: ${field}: ${issue.message}${keys}`, {
      ...(valid ? { validOptions: valid } : {}),
      details: { field },
    });
  }
  const board = parsed.data;
  checkPins(board, source);
  return board;
}

function checkPins(board: ValidBoard, source: string): void {
  const used = new Map<string, string>();
  const claim = (pinNo: number | undefined, chip: string | undefined, field: string) => {
    if (pinNo === undefined) return;
    const key = `${chip ?? 'default'}:${pinNo}`;
    const prior = used.get(key);
    if (prior) {
      throw new TallyError('BOARD_INVALID', `${source}: ${field}: pin ${pinNo} is already used by ${prior}`, {
        details: { field },
      });
    }
    used.set(key, field);
  };
  const r = board.roles;
  const isGpio = (d: string) => d !== 'sim' && d !== 'keyboard';
  checkPiPins(board, source);
  if (r.relay && isGpio(r.relay.driver)) {
    claim(r.relay.pin, r.relay.chip, 'roles.relay.pin');
    claim(r.relay.sensePin, r.relay.chip, 'roles.relay.sensePin');
  }
  if (r.muteLed && isGpio(r.muteLed.driver)) claim(r.muteLed.pin, r.muteLed.chip, 'roles.muteLed.pin');
  for (const role of ['actionButton', 'muteButton'] as const) {
    const b = r[role];
    if (!b) continue;
    if (isGpio(b.driver)) {
      if (b.pin === undefined) {
        throw new TallyError('BOARD_INVALID', `${source}: roles.${role}.pin: required for driver ${b.driver}`, {
          details: { field: `roles.${role}.pin` },
        });
      }
      claim(b.pin, b.chip, `roles.${role}.pin`);
    }
    if (b.driver === 'keyboard' && !b.key) {
      throw new TallyError('BOARD_INVALID', `${source}: roles.${role}.key: required for driver keyboard`, {
        details: { field: `roles.${role}.key` },
      });
    }
  }
  if (r.ring?.driver === 'ws281x') claim(r.ring.pin ?? 18, undefined, 'roles.ring.pin');
  if (r.ring && (r.ring.driver === 'ws281x-spi' || r.ring.driver === 'apa102') && (r.ring.spiBus ?? 0) === 0) {
    // SPI0 owns MOSI (GPIO10) and SCLK (GPIO11) on the Pi header.
    claim(10, undefined, 'roles.ring.spiBus (SPI0 MOSI, GPIO10)');
    claim(11, undefined, 'roles.ring.spiBus (SPI0 SCLK, GPIO11)');
  }
  const usesFirmata = Object.values(r).some((role) => role && 'driver' in role && role.driver === 'firmata');
  if (usesFirmata && !board.serialPort) {
    throw new TallyError('BOARD_INVALID', `${source}: serialPort: required when a role uses the firmata driver`, {
      details: { field: 'serialPort' },
    });
  }
}

/** Raspberry Pi drivers address BCM GPIOs 0..27 (the 40-pin header); rpi_ws281x only a few. */
const PI_GPIO_DRIVERS: readonly string[] = ['onoff', 'libgpiod'];
const WS281X_PINS = [10, 12, 18, 21];

function checkPiPins(board: ValidBoard, source: string): void {
  const refuse = (field: string, message: string, validOptions?: readonly string[]) => {
    throw new TallyError('BOARD_INVALID', `${source}: ${field}: ${message}`, { details: { field }, ...(validOptions ? { validOptions } : {}) });
  };
  for (const [role, spec] of Object.entries(board.roles)) {
    if (!spec || !PI_GPIO_DRIVERS.includes(spec.driver)) continue;
    for (const key of ['pin', 'sensePin'] as const) {
      const value = (spec as { pin?: number; sensePin?: number })[key];
      if (value !== undefined && value > 27) refuse(`roles.${role}.${key}`, `GPIO${value} is not on the Raspberry Pi header (BCM 0..27)`);
    }
  }
  const ring = board.roles.ring;
  if (ring?.driver === 'ws281x' && !WS281X_PINS.includes(ring.pin ?? 18)) {
    refuse('roles.ring.pin', `rpi_ws281x cannot drive GPIO${ring.pin}`, WS281X_PINS.map(String));
  }
}
