import { describe, expect, it } from 'vitest';
import { join as joinPath } from 'node:path';
import { BUILT_IN_BOARDS, loadBoard } from '../../boards/index.ts';
import { validateBoard, type BoardDefinition } from '../../hal/board-definition.ts';
import { muteKind } from '../../boards/mute-kind.ts';

const base = structuredClone(BUILT_IN_BOARDS['rpi-neopixel-ring']!) as BoardDefinition;
const variant = (edit: (b: any) => void): unknown => {
  const b = structuredClone(base) as any;
  edit(b);
  return b;
};
const refusal = (input: unknown) => {
  try {
    validateBoard(input, 'test board');
  } catch (e) {
    return e as { code: string; message: string; validOptions?: string[]; details?: { field: string } };
  }
  throw new Error('board was accepted');
};

describe('built-in boards', () => {
  it.each(Object.keys(BUILT_IN_BOARDS))('%s validates and loads by name', async (name) => {
    const board = await loadBoard(name);
    expect(board.name).toBe(name);
    expect(board.roles.microphone).toBeDefined();
  });

  it('has every board the product promises', () => {
    expect(Object.keys(BUILT_IN_BOARDS).sort()).toEqual(
      ['arduino-firmata', 'desktop', 'respeaker-2mic', 'respeaker-4mic', 'rpi-neopixel-ring', 'rpi5-neopixel-spi', 'sim'].sort(),
    );
  });

  it('boards without a relay have software-only mute', async () => {
    expect(muteKind(await loadBoard('desktop'))).toBe('software-only');
    expect(muteKind(await loadBoard('respeaker-2mic'))).toBe('software-only');
    expect(muteKind(await loadBoard('rpi-neopixel-ring'))).toBe('hardware');
    expect(muteKind(await loadBoard('arduino-firmata'))).toBe('hardware');
  });

  it('the relay boards have a sense line and a 12–24 pixel ring where they have a ring', async () => {
    for (const name of ['rpi-neopixel-ring', 'rpi5-neopixel-spi', 'arduino-firmata']) {
      expect((await loadBoard(name)).roles.relay?.sensePin).toBeDefined();
    }
    expect((await loadBoard('respeaker-4mic')).roles.ring?.pixelCount).toBe(12);
    expect((await loadBoard('respeaker-2mic')).roles.ring?.pixelCount).toBe(3);
  });
});

describe('invalid boards are refused naming the field and the choices', () => {
  it('duplicate pins', () => {
    const e = refusal(variant((b) => (b.roles.muteLed.pin = 17)));
    expect(e.code).toBe('BOARD_INVALID');
    expect(e.details?.field).toBe('roles.muteLed.pin');
    expect(e.message).toMatch(/pin 17 is already used by roles.relay.pin/);
  });

  it('a GPIO on the SPI bus the ring uses', () => {
    const b = structuredClone(BUILT_IN_BOARDS['rpi5-neopixel-spi']) as any;
    b.roles.actionButton.pin = 10;
    expect(refusal(b).message).toMatch(/SPI0 MOSI/);
  });

  it('missing required role (microphone)', () => {
    const e = refusal(variant((b) => delete b.roles.microphone));
    expect(e.details?.field).toBe('roles.microphone');
  });

  it('unknown driver lists the valid drivers', () => {
    const e = refusal(variant((b) => (b.roles.ring.driver = 'neopixel')));
    expect(e.details?.field).toBe('roles.ring.driver');
    expect(e.validOptions).toEqual(['sim', 'ws281x', 'ws281x-spi', 'apa102']);
  });

  it('pin out of range for a Raspberry Pi GPIO driver', () => {
    const e = refusal(variant((b) => (b.roles.actionButton.pin = 40)));
    expect(e.details?.field).toBe('roles.actionButton.pin');
    expect(e.message).toMatch(/BCM 0..27/);
    expect(refusal(variant((b) => (b.roles.relay.sensePin = 33)))?.details?.field).toBe('roles.relay.sensePin');
    expect(refusal(variant((b) => (b.roles.relay.pin = 99)))?.details?.field).toBe('roles.relay.pin');
  });

  it('a ws281x ring on a pin rpi_ws281x cannot drive', () => {
    const e = refusal(variant((b) => (b.roles.ring.pin = 4)));
    expect(e.details?.field).toBe('roles.ring.pin');
    expect(e.validOptions).toEqual(['10', '12', '18', '21']);
  });

  it('a firmata board without a serial port; a keyboard button without a key', () => {
    const f = structuredClone(BUILT_IN_BOARDS['arduino-firmata']) as any;
    delete f.serialPort;
    expect(refusal(f).details?.field).toBe('serialPort');
    const d = structuredClone(BUILT_IN_BOARDS['desktop']) as any;
    delete d.roles.actionButton.key;
    expect(refusal(d).details?.field).toBe('roles.actionButton.key');
  });

  it('the example board JSON in deploy/boards loads and validates (24 px ring, a USB ALSA card)', async () => {
    const b = await loadBoard(joinPath(import.meta.dirname, '..', '..', 'deploy', 'boards', 'pi-24px-usb-mic.json'));
    expect(b.name).toBe('pi-24px-usb-mic');
    expect(b.roles.ring).toMatchObject({ driver: 'ws281x-spi', pixelCount: 24 });
    expect(b.roles.microphone).toMatchObject({ driver: 'alsa', device: 'plughw:CARD=Device,DEV=0' });
  });

  it('a user board is one JSON file (here: a Pi 4 on an old OS, sysfs GPIO via onoff)', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const b = structuredClone(base) as any;
    b.name = 'my-pi4';
    for (const role of ['relay', 'muteLed', 'actionButton', 'muteButton']) b.roles[role].driver = 'onoff';
    const file = join(await mkdtemp(join(tmpdir(), 'board-')), 'my-pi4.json');
    await writeFile(file, JSON.stringify(b));
    const board = await loadBoard(file);
    expect(board.roles.relay?.driver).toBe('onoff');
    b.roles.relay.driver = 'gpiozero';
    await writeFile(file, JSON.stringify(b));
    await expect(loadBoard(file)).rejects.toMatchObject({ code: 'BOARD_INVALID', validOptions: ['sim', 'onoff', 'libgpiod', 'firmata'] });
  });

  it('unknown board names list the built-in boards', async () => {
    await expect(loadBoard('raspberry')).rejects.toMatchObject({ code: 'BOARD_UNKNOWN', validOptions: expect.arrayContaining(['desktop', 'rpi5-neopixel-spi']) });
  });
});
