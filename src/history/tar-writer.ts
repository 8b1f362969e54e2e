import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/**
 * A plain ustar archive writer (uncompressed): readable by `tar`, every OS's archive tool
 * and Python's tarfile, with no dependency. Entries are written straight to the file.
 */
const BLOCK = 512;

export class TarWriter {
  #fd: number;
  #closed = false;

  constructor(path: string) {
    this.#fd = openSync(path, 'w', 0o600);
  }

  add(name: string, data: Buffer, mtimeMs = Date.now()): void {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > 100) throw new Error(`tar entry name too long: ${name}`);
    const h = Buffer.alloc(BLOCK);
    nameBytes.copy(h, 0);
    octal(h, 100, 8, 0o644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, data.length);
    octal(h, 136, 12, Math.floor(mtimeMs / 1000));
    h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
    h.write('0', 156, 'ascii'); // regular file
    h.write('ustar\0', 257, 'ascii');
    h.write('00', 263, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
    writeSync(this.#fd, h);
    writeSync(this.#fd, data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) writeSync(this.#fd, Buffer.alloc(pad));
  }

  /** Writes the two zero blocks that end an archive, fsyncs and closes. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    writeSync(this.#fd, Buffer.alloc(BLOCK * 2));
    fsyncSync(this.#fd);
    closeSync(this.#fd);
  }

  /** Closes without finishing (after an error). */
  abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

function octal(h: Buffer, offset: number, size: number, value: number): void {
  h.write(value.toString(8).padStart(size - 1, '0') + '\0', offset, 'ascii');
}
