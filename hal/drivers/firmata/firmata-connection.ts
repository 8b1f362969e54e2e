import { HalError, loadOptionalPackage } from '../../errors.ts';
import type { FirmataIo } from './firmata-backend.ts';

/** The slice of johnny-five used to open the board. */
export interface JohnnyFiveModule {
  Board: new (opts: { port?: string; io?: unknown; repl: false; debug: false; timeout?: number }) => {
    io: FirmataIo & { transport?: { close?(cb?: () => void): void } };
    once(event: 'ready' | 'error', fn: (e?: Error) => void): unknown;
  };
}

export interface FirmataConnection {
  readonly io: FirmataIo;
  readonly port: string;
  close(): Promise<void>;
}

/**
 * Opens an Arduino running StandardFirmata with johnny-five and waits for `ready`.
 * `io` replaces the serial port in tests (mock-firmata).
 */
export async function openFirmata(port: string, opts: { johnnyFive?: JohnnyFiveModule; io?: unknown; timeoutMs?: number } = {}): Promise<FirmataConnection> {
  const five = opts.johnnyFive ?? (await loadOptionalPackage<JohnnyFiveModule>('johnny-five', `firmata ${port}`));
  const board = new five.Board({ ...(opts.io ? { io: opts.io } : { port }), repl: false, debug: false, timeout: opts.timeoutMs ?? 10_000 });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  await new Promise<void>((resolve, reject) => {
    const fail = (cause: unknown) =>
      reject(new HalError('DEVICE_UNAVAILABLE', `firmata ${port}`, `no StandardFirmata board answered on ${port} (flash StandardFirmata, check the cable, add the user to the dialout group)`, { cause }));
    // johnny-five only times out after a serial connect; a port that never connects must fail too.
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    board.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
    board.once('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
  });
  return {
    io: board.io,
    port,
    close: () => new Promise<void>((resolve) => {
      const t = board.io.transport;
      if (t?.close) t.close(() => resolve());
      else resolve();
    }),
  };
}
