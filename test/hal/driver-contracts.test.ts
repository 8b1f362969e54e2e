import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buttonContract } from '../contracts/button.contract.ts';
import { ledContract } from '../contracts/led.contract.ts';
import { lightRingContract } from '../contracts/light-ring.contract.ts';
import { microphoneContract } from '../contracts/microphone.contract.ts';
import { relayContract } from '../contracts/relay.contract.ts';
import { tonePlayerContract } from '../contracts/tone-player.contract.ts';
import { ManualClock, SystemClock } from '../../hal/base/clock.ts';
import { AlsaMicrophone } from '../../hal/drivers/audio/alsa-microphone.ts';
import { SpeakerTonePlayer } from '../../hal/drivers/audio/speaker-tone-player.ts';
import { FirmataBackend } from '../../hal/drivers/firmata/firmata-backend.ts';
import type { GpioBackend } from '../../hal/drivers/gpio/digital-line.ts';
import { GpioLed, GpioRelay, openGpioButton } from '../../hal/drivers/gpio/gpio-devices.ts';
import { LibgpiodBackend } from '../../hal/drivers/gpio/libgpiod-backend.ts';
import { Libgpiod2Backend } from '../../hal/drivers/gpio/libgpiod2-backend.ts';
import { createFakeLibgpiod2 } from '../../hal/fakes/fake-libgpiod2.ts';
import { OnoffBackend } from '../../hal/drivers/gpio/onoff-backend.ts';
import { WS281X_SPI_HZ } from '../../hal/drivers/ring-encoding.ts';
import { openSpiBus } from '../../hal/drivers/spi-bus.ts';
import { SpiRing } from '../../hal/drivers/spi-ring.ts';
import { Ws281xRing } from '../../hal/drivers/ws281x-ring.ts';
import { createFakeFirmataIo } from '../../hal/fakes/fake-firmata.ts';
import { createFakeLibgpiod, createFakeOnoff, FakeGpioWorld } from '../../hal/fakes/fake-gpio.ts';
import { FakeSpeakerDevice } from '../../hal/fakes/fake-speaker.ts';
import { FakeSpiDevice } from '../../hal/fakes/fake-spi-device.ts';
import { createFakeWs281x } from '../../hal/fakes/fake-ws281x.ts';

/**
 * The lead's contract suites, run against every real driver over a fake of its native
 * layer: the drivers' own code (queueing, debouncing, polarity, error mapping) is what
 * is under test; only the package boundary is faked.
 */

interface GpioRig {
  backend: GpioBackend;
  clock: ManualClock;
  /** Physical line level of a pin, 1 = high. */
  level(pin: number): 0 | 1 | undefined;
  setLevel(pin: number, level: 0 | 1): void;
  link(out: number, input: number): void;
  failNextWrite?(): void;
}

/** Which rigs can make a GPIO write fail (declared, not detected: see capabilityCase). */
const RIG_WRITE_FAULTS: Record<string, boolean> = { onoff: true, libgpiod: true, 'libgpiod v2': true, firmata: false };

const RIGS: Record<string, () => GpioRig> = {
  onoff: () => {
    const world = new FakeGpioWorld();
    const key = (p: number) => `sysfs:${p}`;
    return {
      backend: new OnoffBackend(createFakeOnoff(world)),
      clock: new ManualClock(),
      level: (p) => world.level(key(p)),
      setLevel: (p, l) => world.setLevel(key(p), l),
      link: (o, i) => world.link(key(o), key(i)),
      failNextWrite: () => world.failNextWrite(),
    };
  },
  libgpiod: () => {
    const world = new FakeGpioWorld();
    const clock = new ManualClock();
    const key = (p: number) => `gpiochip4:${p}`;
    return {
      backend: new LibgpiodBackend(createFakeLibgpiod(world, [{ name: 'gpiochip0', label: 'gpio-brcmstb@107d508500' }, { name: 'gpiochip4', label: 'pinctrl-rp1' }]), clock),
      clock,
      level: (p) => world.level(key(p)),
      setLevel: (p, l) => world.setLevel(key(p), l),
      link: (o, i) => world.link(key(o), key(i)),
      failNextWrite: () => world.failNextWrite(),
    };
  },
  'libgpiod v2': () => {
    const world = new FakeGpioWorld();
    const clock = new ManualClock();
    const chips = [{ name: 'gpiochip0', label: 'gpio-brcmstb@107d508500' }, { name: 'gpiochip4', label: 'pinctrl-rp1' }];
    const key = (p: number) => `gpiochip4:${p}`;
    return {
      backend: new Libgpiod2Backend(createFakeLibgpiod2(world, chips), clock, { listDevices: () => chips.map((c) => c.name) }),
      clock,
      level: (p) => world.level(key(p)),
      setLevel: (p, l) => world.setLevel(key(p), l),
      link: (o, i) => world.link(key(o), key(i)),
      failNextWrite: () => world.failNextWrite(),
    };
  },
  firmata: () => {
    const io = createFakeFirmataIo();
    return {
      backend: new FirmataBackend(io, '/dev/ttyACM0'),
      clock: new ManualClock(),
      level: (p) => io.level(p),
      setLevel: (p, l) => io.report(p, l),
      link: (o, i) => io.link(o, i),
      // Firmata has no write acknowledgement: a write cannot be seen to fail.
    };
  },
};

for (const [name, makeRig] of Object.entries(RIGS)) {
  for (const sense of [true, false]) {
    relayContract(`${name} (sense line: ${sense})`, async () => {
      const rig = makeRig();
      if (sense) rig.link(17, 27);
      const relay = await GpioRelay.open(rig.backend, 17, sense ? { sensePin: 27 } : {});
      return { relay, ...(rig.failNextWrite ? { failNextWrite: rig.failNextWrite } : {}) };
    }, { writeFaults: RIG_WRITE_FAULTS[name]! });
  }

  ledContract(name, async () => {
    const rig = makeRig();
    const led = await GpioLed.open(rig.backend, 22);
    return { led, lineLevel: () => rig.level(22) === 1, ...(rig.failNextWrite ? { failNextWrite: rig.failNextWrite } : {}) };
  }, { writeFaults: RIG_WRITE_FAULTS[name]! });

  buttonContract(name, async () => {
    const rig = makeRig();
    rig.setLevel(5, 1); // pulled up
    const button = await openGpioButton(rig.backend, 5, rig.clock, { debounceMs: 50, longPressMs: 1000 });
    return {
      button,
      setRaw: (pressed) => rig.setLevel(5, pressed ? 0 : 1), // active low
      advance: (ms) => rig.clock.advance(ms),
      debounceMs: 50,
      longPressMs: 1000,
      cleanup: () => button.close(),
    };
  });
}

for (const encoding of ['apa102', 'ws281x-spi'] as const) {
  lightRingContract(`${encoding} over spi-device`, async () => {
    const spi = new FakeSpiDevice();
    const ring = new SpiRing(await openSpiBus(spi, 0, 0, WS281X_SPI_HZ, 'test'), encoding, { pixelCount: 12 });
    return { ring, writes: () => spi.transfers.length, failNextWrite: () => spi.failNext() };
  }, { writeFaults: true, latches: false });
}

lightRingContract('ws281x over rpi-ws281x-native', async () => {
  const lib = createFakeWs281x();
  const ring = new Ws281xRing(lib, { pixelCount: 12 });
  let failNext = false;
  const render = lib.render;
  lib.render = () => {
    if (failNext) {
      failNext = false;
      throw new Error('DMA error');
    }
    render();
  };
  return { ring, writes: () => lib.renders.length, failNextWrite: () => (failNext = true) };
}, { writeFaults: true, latches: false });

tonePlayerContract('speaker (fake speaker package)', async () => {
  const dev = new FakeSpeakerDevice();
  const player = new SpeakerTonePlayer(dev.Speaker);
  return {
    player,
    advance: () => new Promise((r) => setImmediate(r)),
    failNextWrite: () => {
      dev.failOpen = new Error('device busy');
      player.once('error', () => (dev.failOpen = undefined));
    },
  };
});

/**
 * The ALSA mic contract with a stand-in `arecord` that streams a FIFO (the contract
 * injects sound after open(), which a fixed ALSA `file` infile cannot do; the real
 * arecord + ALSA file plugin path is tested in alsa-microphone.test.ts).
 */
microphoneContract('alsa (arecord stand-in reading a FIFO)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tally-mic-'));
  const fifo = join(dir, 'mic.fifo');
  execFileSync('mkfifo', [fifo]);
  // O_RDWR: opening never blocks and the pipe never sees EOF while the test holds it.
  const fd = openSync(fifo, constants.O_RDWR);
  const script = join(dir, 'arecord');
  await writeFile(script, `#!/bin/sh\nexec cat "${fifo}"\n`, { mode: 0o755 });
  const mic = new AlsaMicrophone(new SystemClock(), { arecord: script, startupGraceMs: 50 });
  let delivered = 0;
  mic.on('frame', (f) => (delivered += f.length));
  return {
    mic,
    inject: async (samples) => {
      const target = delivered + samples.length;
      writeSync(fd, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
      const deadline = Date.now() + (mic.isOpen ? 2000 : 200);
      while (delivered < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    },
    cleanup: async () => {
      await mic.close();
      closeSync(fd);
    },
  };
});
