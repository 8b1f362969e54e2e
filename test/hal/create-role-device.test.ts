import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../boards/index.ts';
import type { RoleName } from '../../hal/board-definition.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import { loadOptionalPackage } from '../../hal/errors.ts';
import { createRoleDevice, type DriverContext } from '../../hal/drivers/index.ts';
import { openKeyboardButton } from '../../hal/drivers/keyboard-button.ts';
import { createFakeFirmataIo } from '../../hal/fakes/fake-firmata.ts';
import { createFakeLibgpiod, createFakeOnoff, FakeGpioWorld } from '../../hal/fakes/fake-gpio.ts';
import { FakeSpeakerDevice } from '../../hal/fakes/fake-speaker.ts';
import { FakeSpiDevice } from '../../hal/fakes/fake-spi-device.ts';
import { createFakeWs281x } from '../../hal/fakes/fake-ws281x.ts';

function fakePackages() {
  const world = new FakeGpioWorld();
  const spi = new FakeSpiDevice();
  const loaded: string[] = [];
  const packages: Record<string, unknown> = {
    'node-libgpiod': createFakeLibgpiod(world, [{ name: 'gpiochip0', label: 'pinctrl-bcm2711' }]),
    onoff: createFakeOnoff(world),
    'spi-device': spi,
    'rpi-ws281x-native': createFakeWs281x(),
    speaker: new FakeSpeakerDevice().Speaker,
    'johnny-five': undefined, // the real one: it accepts mock-firmata as its io
  };
  const loadPackage = async (pkg: string, device: string) => {
    loaded.push(pkg);
    return pkg in packages && packages[pkg] !== undefined ? packages[pkg] : loadOptionalPackage(pkg, device);
  };
  return { world, spi, loaded, loadPackage };
}

const ROLES: RoleName[] = ['microphone', 'relay', 'muteLed', 'ring', 'actionButton', 'muteButton', 'tones'];

describe('createRoleDevice opens every role of every built-in hardware board (native layers faked)', () => {
  for (const name of ['rpi-neopixel-ring', 'rpi5-neopixel-spi', 'respeaker-2mic', 'respeaker-4mic', 'arduino-firmata', 'desktop']) {
    it(name, async () => {
      const board = await loadBoard(name);
      const fakes = fakePackages();
      const io = createFakeFirmataIo();
      io.emit('ready'); // an Arduino that has already answered
      const ctx: DriverContext = { clock: new ManualClock(), inputKeys: new PassThrough(), loadPackage: fakes.loadPackage, firmataIo: io };
      const opened: { close(): Promise<void> }[] = [];
      for (const role of ROLES) {
        const spec = board.roles[role];
        if (!spec) continue;
        const device = await createRoleDevice(role, spec, board, ctx);
        expect(device, role).toBeDefined();
        opened.push(device);
      }
      // Native packages load only for drivers this board names.
      const expected = new Set(
        Object.values(board.roles).flatMap((r) => {
          const d = (r as { driver: string }).driver;
          return (
            { libgpiod: ['node-libgpiod'], onoff: ['onoff'], ws281x: ['rpi-ws281x-native'], 'ws281x-spi': ['spi-device'], apa102: ['spi-device'], speaker: ['speaker'], firmata: ['johnny-five'] } as Record<string, string[]>
          )[d] ?? [];
        }),
      );
      expect(new Set(fakes.loaded)).toEqual(expected);
      await Promise.all(opened.map((d) => d.close()));
    });
  }

  it('a missing native package is DRIVER_MISSING naming it and how to install it', async () => {
    await expect(loadOptionalPackage('tally-no-such-native-package', 'roles.ring')).rejects.toMatchObject({
      code: 'DRIVER_MISSING',
      message: expect.stringContaining('npm install tally-no-such-native-package'),
    });
    const board = await loadBoard('rpi5-neopixel-spi');
    const ctx: DriverContext = { clock: new ManualClock(), loadPackage: (pkg, dev) => loadOptionalPackage(`${pkg}-missing`, dev) };
    await expect(createRoleDevice('ring', board.roles.ring, board, ctx)).rejects.toMatchObject({ code: 'DRIVER_MISSING' });
  });

  it('the keyboard button needs a key stream', async () => {
    const board = await loadBoard('desktop');
    await expect(createRoleDevice('actionButton', board.roles.actionButton, board, { clock: new ManualClock() })).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE' });
  });
});

describe('keyboard button', () => {
  it('a key tap presses and releases; holding (auto-repeat) long-presses; other keys do nothing', async () => {
    const keys = new PassThrough();
    const clock = new ManualClock();
    const button = openKeyboardButton(keys, ' ', clock, { longPressMs: 1000 });
    const events: string[] = [];
    for (const e of ['press', 'release', 'long-press'] as const) button.on(e, () => events.push(e));
    const type = async (s: string) => {
      keys.write(s);
      await new Promise((r) => setImmediate(r));
    };
    await type('x');
    await type(' ');
    expect(events).toEqual(['press']);
    clock.advance(700);
    expect(events).toEqual(['press', 'release']);
    // hold: first repeat after 500 ms, then every 33 ms for 1.5 s
    await type(' ');
    clock.advance(500);
    for (let t = 0; t < 1500; t += 33) {
      await type(' ');
      clock.advance(33);
    }
    expect(events).toEqual(['press', 'release', 'press', 'long-press']);
    clock.advance(200);
    expect(events.at(-1)).toBe('release');
    await button.close();
    await type(' ');
    expect(events).toHaveLength(5);
    expect(keys.listenerCount('data')).toBe(0);
  });
});
