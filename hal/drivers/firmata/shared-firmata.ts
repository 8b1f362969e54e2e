import type { DigitalInput, DigitalOutput, GpioBackend, LineOptions } from '../gpio/digital-line.ts';
import { FirmataBackend } from './firmata-backend.ts';
import type { FirmataConnection } from './firmata-connection.ts';

/**
 * One serial connection shared by every role on the same Arduino. The connection is
 * closed when the last line opened through it is closed.
 */
export class SharedFirmata implements GpioBackend {
  readonly name: string;
  readonly #conn: FirmataConnection;
  readonly #backend: FirmataBackend;
  #lines = 0;

  readonly #onIdle: () => void;

  /** `onIdle` runs when the connection closes, so the next open starts a fresh one. */
  constructor(conn: FirmataConnection, onIdle: () => void = () => {}) {
    this.#conn = conn;
    this.#onIdle = onIdle;
    this.#backend = new FirmataBackend(conn.io, conn.port);
    this.name = this.#backend.name;
  }

  async openOutput(pin: number, opts: LineOptions & { initial: boolean }): Promise<DigitalOutput> {
    const line = await this.#backend.openOutput(pin, opts);
    return { ...line, close: this.#counted(line) };
  }

  async openInput(pin: number, opts: LineOptions): Promise<DigitalInput> {
    const line = await this.#backend.openInput(pin, opts);
    return { ...line, close: this.#counted(line) };
  }

  #counted(line: { close(): Promise<void> }): () => Promise<void> {
    this.#lines++;
    let closed = false;
    return async () => {
      if (closed) return;
      closed = true;
      await line.close();
      if (--this.#lines === 0) {
        this.#onIdle();
        await this.#conn.close();
      }
    };
  }
}
