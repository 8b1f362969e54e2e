import { describe, expect, it } from 'vitest';
import type { HalError } from '../../hal/errors.ts';
import { openSpiBus } from '../../hal/drivers/spi-bus.ts';
import { SpiRing } from '../../hal/drivers/spi-ring.ts';
import { Ws281xRing } from '../../hal/drivers/ws281x-ring.ts';
import { encodeApa102, encodeWs281xSpi, WS281X_SPI_HZ } from '../../hal/drivers/ring-encoding.ts';
import { FakeSpiDevice } from '../../hal/fakes/fake-spi-device.ts';
import { createFakeWs281x } from '../../hal/fakes/fake-ws281x.ts';

const blue = Array.from({ length: 3 }, () => [0, 0, 255] as const);

async function apaRing(spi = new FakeSpiDevice()) {
  const bus = await openSpiBus(spi, 0, 1, 8_000_000, 'test');
  return { spi, ring: new SpiRing(bus, 'apa102', { pixelCount: 3 }) };
}

describe('SpiRing (APA102 / WS281x-SPI) over a fake spi-device', () => {
  it('show() resolves only after the SPI transfer completes (the indicator ack)', async () => {
    const { spi, ring } = await apaRing();
    spi.holdTransfers = true;
    let acked = false;
    const shown = ring.show(blue).then(() => (acked = true));
    await new Promise((r) => setImmediate(r));
    expect(acked).toBe(false);
    expect(spi.pendingTransfers).toBe(1);
    spi.completeTransfers();
    await shown;
    expect(acked).toBe(true);
    expect(spi.lastTransfer).toEqual(encodeApa102(blue, { brightness: 1, maxBrightness: 1 }));
  });

  it('writes WS281x-SPI frames at 2.4 MHz on the chosen bus', async () => {
    const spi = new FakeSpiDevice();
    const bus = await openSpiBus(spi, 0, 0, WS281X_SPI_HZ, 'test');
    const ring = new SpiRing(bus, 'ws281x-spi', { pixelCount: 3, maxBrightness: 0.5 });
    await ring.show(blue);
    expect(spi.opened[0]).toEqual({ bus: 0, device: 0, maxSpeedHz: WS281X_SPI_HZ });
    expect(spi.transfers[0]!.speedHz).toBe(WS281X_SPI_HZ);
    expect(spi.lastTransfer).toEqual(encodeWs281xSpi(blue, { brightness: 0.5, maxBrightness: 0.5 }));
  });

  it('applies frames in call order and brightness from the next frame', async () => {
    const { spi, ring } = await apaRing();
    const red = blue.map(() => [255, 0, 0] as const);
    await Promise.all([ring.show(red), ring.show(blue)]);
    await ring.setBrightness(0.2);
    await ring.show(red);
    expect(spi.transfers.map((t) => t.data)).toEqual([
      encodeApa102(red, { brightness: 1, maxBrightness: 1 }),
      encodeApa102(blue, { brightness: 1, maxBrightness: 1 }),
      encodeApa102(red, { brightness: 0.2, maxBrightness: 1 }),
    ]);
  });

  it('rejects a wrong-length frame and bad brightness with INVALID_ARGUMENT', async () => {
    const { ring } = await apaRing();
    await expect(ring.show([[0, 0, 255]])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(ring.show([[0, 0, 256], [0, 0, 0], [0, 0, 0]])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(ring.setBrightness(1.5)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a failed bus write rejects DEVICE_WRITE_FAILED and emits error', async () => {
    const { spi, ring } = await apaRing();
    const errors: HalError[] = [];
    ring.on('error', (e) => errors.push(e));
    spi.failTransfer = new Error('EIO');
    await expect(ring.show(blue)).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
    expect(errors.map((e) => e.code)).toEqual(['DEVICE_WRITE_FAILED']);
    spi.failTransfer = undefined;
    await ring.show(blue); // recovers for the next frame
  });

  it('close() blanks the ring, releases the bus, and later calls reject DEVICE_CLOSED', async () => {
    const { spi, ring } = await apaRing();
    await ring.show(blue);
    await ring.close();
    await ring.close();
    expect(spi.lastTransfer).toEqual(encodeApa102(blue.map(() => [0, 0, 0] as const), { brightness: 1, maxBrightness: 1 }));
    expect(spi.closed).toBe(1);
    await expect(ring.show(blue)).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
  });

  it('an unopenable spidev is DEVICE_UNAVAILABLE naming the node', async () => {
    const spi = new FakeSpiDevice();
    spi.failOpen = new Error('ENOENT');
    await expect(openSpiBus(spi, 0, 0, WS281X_SPI_HZ, 'ring')).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE', message: expect.stringContaining('/dev/spidev0.0') });
  });
});

describe('Ws281xRing over a fake rpi-ws281x-native', () => {
  it('renders corrected 0x00RRGGBB words, GRB strip type on GPIO18', async () => {
    const lib = createFakeWs281x();
    const ring = new Ws281xRing(lib, { pixelCount: 3, maxBrightness: 1 });
    await ring.show([[255, 0, 0], [0, 0, 255], [0, 0, 0]]);
    expect(lib.initOptions[0]).toMatchObject({ gpio: 18, stripType: 'ws2812' });
    expect([...lib.renders[0]!]).toEqual([0xff0000, 0x0000ff, 0]);
    await ring.close();
    expect([...lib.renders.at(-1)!]).toEqual([0, 0, 0]);
    expect(lib.finalized).toBe(1);
  });

  it('a render failure rejects DEVICE_WRITE_FAILED; an init failure is DEVICE_UNAVAILABLE', async () => {
    const lib = createFakeWs281x();
    const ring = new Ws281xRing(lib, { pixelCount: 3 });
    lib.failRender = new Error('mmap failed');
    ring.on('error', () => {});
    await expect(ring.show(blue)).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
    expect(() => new Ws281xRing(createFakeWs281x({ failInit: new Error('EPERM') }), { pixelCount: 3 })).toThrow(
      expect.objectContaining({ code: 'DEVICE_UNAVAILABLE' }),
    );
  });
});
