import { createRequire } from 'node:module';
import type { FirmataIo } from '../drivers/firmata/firmata-backend.ts';

const require = createRequire(import.meta.url);

/**
 * mock-firmata (the Firmata stand-in johnny-five's own tests use) with its digital I/O
 * made observable: writes are recorded per pin and tests feed digital reports with
 * `report(pin, value)`, as the Arduino would over serial.
 */
export type FakeFirmataIo = FirmataIo & {
  writes: { pin: number; value: 0 | 1 }[];
  modes: Map<number, number>;
  level(pin: number): 0 | 1 | undefined;
  report(pin: number, value: 0 | 1): void;
  /** Wires an output pin to an input pin (a relay contact read back on its sense pin). */
  link(output: number, input: number): void;
  emit(event: string, ...args: unknown[]): boolean;
};

export function createFakeFirmataIo(): FakeFirmataIo {
  const MockFirmata = require('mock-firmata').Firmata as new () => FakeFirmataIo;
  const io = new MockFirmata();
  const levels = new Map<number, 0 | 1>();
  const readers = new Map<number, (value: number) => void>();
  const links = new Map<number, number>();
  io.writes = [];
  io.modes = new Map();
  io.pinMode = (pin, mode) => io.modes.set(pin, mode);
  io.digitalWrite = (pin, value) => {
    io.writes.push({ pin, value });
    levels.set(pin, value);
    const linked = links.get(pin);
    if (linked !== undefined) readers.get(linked)?.(value);
  };
  io.link = (output, input) => links.set(output, input);
  io.digitalRead = (pin, cb) => readers.set(pin, cb);
  io.reportDigitalPin = (pin, value) => {
    if (value === 0) readers.delete(pin);
  };
  io.level = (pin) => levels.get(pin);
  io.report = (pin, value) => readers.get(pin)?.(value);
  return io;
}
