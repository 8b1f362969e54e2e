import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { LibgpiodBackend } from '../../hal/drivers/gpio/libgpiod-backend.ts';
import { Libgpiod2Backend } from '../../hal/drivers/gpio/libgpiod2-backend.ts';
import { createFakeLibgpiod2 } from '../../hal/fakes/fake-libgpiod2.ts';
import { OnoffBackend } from '../../hal/drivers/gpio/onoff-backend.ts';
import { GpioLed, GpioRelay, openGpioButton } from '../../hal/drivers/gpio/gpio-devices.ts';
import { pickHeaderChip, sysfsHeaderBase } from '../../hal/drivers/gpio/gpio-chips.ts';
import { createFakeLibgpiod, createFakeOnoff, FakeGpioWorld } from '../../hal/fakes/fake-gpio.ts';

const PI5_CHIPS = [
  { name: 'gpiochip0', label: 'pinctrl-rp1' },
  { name: 'gpiochip10', label: 'gpio-brcmstb@107d508500' },
];

function backends(clock: ManualClock) {
  const world = new FakeGpioWorld();
  return [
    { name: 'onoff', world, backend: new OnoffBackend(createFakeOnoff(world)), key: (pin: number) => `sysfs:${pin}` },
    (() => {
      const w = new FakeGpioWorld();
      return { name: 'libgpiod', world: w, backend: new LibgpiodBackend(createFakeLibgpiod(w, PI5_CHIPS), clock), key: (pin: number) => `gpiochip0:${pin}` };
    })(),
    (() => {
      const w = new FakeGpioWorld();
      const lib = createFakeLibgpiod2(w, PI5_CHIPS);
      const backend = new Libgpiod2Backend(lib, clock, { listDevices: () => PI5_CHIPS.map((c) => c.name) });
      return { name: 'libgpiod v2', world: w, backend, key: (pin: number) => `gpiochip0:${pin}` };
    })(),
  ];
}

describe('libgpiod chip naming', () => {
  it('finds the Pi 5 header by the pinctrl-rp1 label on old (gpiochip4) and new (gpiochip0) kernels', () => {
    expect(pickHeaderChip([{ name: 'gpiochip0', label: 'gpio-brcmstb@107d508500' }, { name: 'gpiochip4', label: 'pinctrl-rp1' }])).toBe('gpiochip4');
    expect(pickHeaderChip(PI5_CHIPS)).toBe('gpiochip0');
    expect(pickHeaderChip([{ name: 'gpiochip0', label: 'pinctrl-bcm2711' }, { name: 'gpiochip1', label: 'raspberrypi-exp-gpio' }])).toBe('gpiochip0');
  });

  it('an explicit chip must exist; unknown labels name the choices', () => {
    expect(() => pickHeaderChip(PI5_CHIPS, 'gpiochip4')).toThrow(expect.objectContaining({ code: 'DEVICE_UNAVAILABLE', validOptions: ['gpiochip0', 'gpiochip10'] }));
    expect(() => pickHeaderChip([{ name: 'gpiochip0', label: 'mystery' }])).toThrow(/gpiochip0=mystery/);
  });

  it('reads the sysfs base of the header chip (kernel 6.6+ numbers from 512)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sysfs-'));
    for (const [chip, label, base] of [['gpiochip512', 'pinctrl-bcm2711', '512'], ['gpiochip570', 'raspberrypi-exp-gpio', '570']] as const) {
      await mkdir(join(dir, chip));
      await writeFile(join(dir, chip, 'label'), label + '\n');
      await writeFile(join(dir, chip, 'base'), base + '\n');
    }
    expect(await sysfsHeaderBase(dir)).toBe(512);
    expect(await sysfsHeaderBase(join(dir, 'absent'))).toBe(0);
  });
});

for (const name of ['onoff', 'libgpiod', 'libgpiod v2'] as const) {
  describe(`GPIO devices over ${name}`, () => {
    const setup = () => {
      const clock = new ManualClock();
      const b = backends(clock).find((x) => x.name === name)!;
      return { clock, ...b };
    };

    it('relay starts open, drives the line, reads the sense line and reports sense changes', async () => {
      const { backend, world, key } = setup();
      const relay = await GpioRelay.open(backend, 17, { sensePin: 27 });
      expect(world.level(key(17))).toBe(0);
      expect(relay.commanded).toBe('open');
      expect(relay.hasSense).toBe(true);
      world.link(key(17), key(27));
      const changes: string[] = [];
      relay.on('sense-change', (p) => changes.push(p));
      await relay.set('closed');
      expect(world.level(key(17))).toBe(1);
      expect(relay.commanded).toBe('closed');
      expect(await relay.readSense()).toBe('closed');
      if (name === 'onoff') expect(changes).toEqual(['closed']);
      await relay.close();
      expect(world.level(key(17))).toBe(0);
      await expect(relay.set('closed')).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
      await relay.close();
    });

    it('a failed relay write rejects DEVICE_WRITE_FAILED and keeps the last good position', async () => {
      const { backend, world } = setup();
      const relay = await GpioRelay.open(backend, 17);
      expect(relay.hasSense).toBe(false);
      expect(await relay.readSense()).toBeUndefined();
      world.failWrites = new Error('EIO');
      await expect(relay.set('closed')).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
      expect(relay.commanded).toBe('open');
    });

    it('LED set/isOn, active-low polarity, off on close', async () => {
      const { backend, world, key } = setup();
      const led = await GpioLed.open(backend, 22, { activeLow: true });
      expect(world.level(key(22))).toBe(1); // off = high when active low
      await led.set(true);
      expect(world.level(key(22))).toBe(0);
      expect(led.isOn).toBe(true);
      await led.close();
      expect(world.level(key(22))).toBe(1);
      expect(led.isOn).toBe(false);
      await expect(led.set(true)).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
    });

    it('a requested-but-busy line is DEVICE_UNAVAILABLE', async () => {
      const { backend, world, key } = setup();
      world.busy.add(key(5));
      await expect(openGpioButton(backend, 5, new ManualClock())).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE' });
    });

    it('button: debounced press/release, bounces ignored, long press on the clock', async () => {
      const { backend, world, key, clock } = setup();
      world.setLevel(key(5), 1); // pulled up: released
      const button = await openGpioButton(backend, 5, clock, { longPressMs: 1000 });
      const events: string[] = [];
      for (const e of ['press', 'release', 'long-press'] as const) button.on(e, () => events.push(e));
      // a 20 ms bounce: no event
      world.setLevel(key(5), 0);
      clock.advance(20);
      world.setLevel(key(5), 1);
      clock.advance(200);
      expect(events).toEqual([]);
      // a real press: reported once it has been stable for 50 ms
      world.setLevel(key(5), 0);
      clock.advance(30);
      expect(events).toEqual([]);
      clock.advance(40);
      expect(events).toEqual(['press']);
      expect(button.isPressed).toBe(true);
      clock.advance(1000);
      expect(events).toEqual(['press', 'long-press']);
      world.setLevel(key(5), 1);
      clock.advance(100);
      expect(events).toEqual(['press', 'long-press', 'release']);
      // a short press has no long-press
      world.setLevel(key(5), 0);
      clock.advance(100);
      world.setLevel(key(5), 1);
      clock.advance(2000);
      expect(events).toEqual(['press', 'long-press', 'release', 'press', 'release']);
      await button.close();
      world.setLevel(key(5), 0);
      clock.advance(2000);
      expect(events).toHaveLength(5);
      expect(clock.pendingTimers).toBe(0);
    });

    if (name !== 'onoff') {
      it('asks for a pull-up on active-low buttons and a pull-down on the relay sense line', async () => {
        const { backend, world, key, clock } = setup();
        await openGpioButton(backend, 12, clock);
        await openGpioButton(backend, 13, clock, { activeLow: false });
        await GpioRelay.open(backend, 17, { sensePin: 27 });
        expect(world.bias.get(key(12))).toBe('up');
        expect(world.bias.get(key(13))).toBe('down');
        expect(world.bias.get(key(27))).toBe('down');
      });

      it('a read failure emits DEVICE_READ_FAILED once and then no presses', async () => {
        const { backend, world, key, clock } = setup();
        world.setLevel(key(5), 1);
        const button = await openGpioButton(backend, 5, clock);
        const seen: string[] = [];
        button.on('error', (e) => seen.push(e.code));
        button.on('press', () => seen.push('press'));
        world.failReads = new Error('EIO');
        clock.advance(100);
        world.failReads = undefined;
        world.setLevel(key(5), 0);
        clock.advance(500);
        expect(seen).toEqual(['DEVICE_READ_FAILED']);
        await button.close();
      });
    }
  });
}
