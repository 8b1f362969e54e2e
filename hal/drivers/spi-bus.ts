import { HalError } from '../errors.ts';

/**
 * The slice of the `spi-device` package the ring drivers use. Typed locally so the
 * package stays optional and the fake (hal/fakes/fake-spi-device.ts) can stand in.
 */
export interface SpiDeviceHandle {
  transfer(message: { byteLength: number; sendBuffer?: Buffer; speedHz?: number }[], cb: (err: Error | null | undefined) => void): unknown;
  close(cb: (err: Error | null | undefined) => void): void;
}

export interface SpiDeviceModule {
  open(bus: number, device: number, options: { mode?: number; maxSpeedHz?: number }, cb: (err: Error | null | undefined) => void): SpiDeviceHandle;
}

/** One open /dev/spidevB.D: `transfer` resolves once the ioctl has clocked every byte out. */
export interface SpiBus {
  readonly path: string;
  transfer(data: Buffer): Promise<void>;
  close(): Promise<void>;
}

export function spidevPath(bus: number, device: number): string {
  return `/dev/spidev${bus}.${device}`;
}

export async function openSpiBus(mod: SpiDeviceModule, bus: number, device: number, speedHz: number, name: string): Promise<SpiBus> {
  const path = spidevPath(bus, device);
  const handle = await new Promise<SpiDeviceHandle>((resolve, reject) => {
    const h = mod.open(bus, device, { mode: 0, maxSpeedHz: speedHz }, (err) =>
      err
        ? reject(new HalError('DEVICE_UNAVAILABLE', name, `cannot open ${path} (enable SPI with raspi-config and add the user to the spi group)`, { cause: err }))
        : resolve(h),
    );
  });
  return {
    path,
    transfer: (data) =>
      new Promise<void>((resolve, reject) => {
        handle.transfer([{ byteLength: data.length, sendBuffer: data, speedHz }], (err) =>
          err ? reject(new HalError('DEVICE_WRITE_FAILED', name, `SPI transfer on ${path} failed`, { cause: err })) : resolve(),
        );
      }),
    close: () => new Promise<void>((resolve) => handle.close(() => resolve())),
  };
}
