import type { SpiDeviceHandle, SpiDeviceModule } from '../drivers/spi-bus.ts';

/**
 * A stand-in for the `spi-device` package: records every transfer byte-for-byte and can
 * be told to fail opens or transfers. One instance per test, no globals.
 */
export class FakeSpiDevice implements SpiDeviceModule {
  readonly transfers: { bus: number; device: number; data: Buffer; speedHz: number | undefined }[] = [];
  readonly opened: { bus: number; device: number; maxSpeedHz: number | undefined }[] = [];
  failOpen: Error | undefined;
  failTransfer: Error | undefined;
  closed = 0;
  /** When set, transfers complete only when `completeTransfers()` is called. */
  holdTransfers = false;
  #held: (() => void)[] = [];
  #failNext: Error | undefined;

  /** Fails exactly the next transfer. */
  failNext(error = new Error('EIO')): void {
    this.#failNext = error;
  }

  open(bus: number, device: number, options: { maxSpeedHz?: number }, cb: (err: Error | null | undefined) => void): SpiDeviceHandle {
    this.opened.push({ bus, device, maxSpeedHz: options.maxSpeedHz });
    const err = this.failOpen;
    setImmediate(() => cb(err ?? null));
    return {
      transfer: (message, done) => {
        const finish = () => {
          const once = this.#failNext;
          this.#failNext = undefined;
          if (this.failTransfer || once) return done(this.failTransfer ?? once);
          for (const m of message) this.transfers.push({ bus, device, data: Buffer.from(m.sendBuffer ?? Buffer.alloc(m.byteLength)), speedHz: m.speedHz });
          done(null);
        };
        if (this.holdTransfers) this.#held.push(finish);
        else setImmediate(finish);
        return undefined;
      },
      close: (done) => {
        this.closed++;
        setImmediate(() => done(null));
      },
    };
  }

  completeTransfers(): void {
    for (const f of this.#held.splice(0)) f();
  }

  get pendingTransfers(): number {
    return this.#held.length;
  }

  get lastTransfer(): Buffer | undefined {
    return this.transfers.at(-1)?.data;
  }
}
