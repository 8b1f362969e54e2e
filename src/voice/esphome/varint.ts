import { TallyError } from '../../../hal/base/errors.ts';

/**
 * Protobuf base-128 varints for the plaintext frame header, read from a stream that may
 * stop mid-varint. Header values are uint32, so more than 5 bytes is a bad frame.
 */
export interface VarintRead {
  value: number;
  /** Bytes consumed. */
  size: number;
}

const MAX_VARINT_BYTES = 5;

/** The varint at `offset`, or `null` when the bytes so far end inside it. */
export function readVarint(buf: Uint8Array, offset: number): VarintRead | null {
  let value = 0;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (offset + i >= buf.length) return null;
    const byte = buf[offset + i];
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) {
      if (value > 0xffffffff) break;
      return { value, size: i + 1 };
    }
  }
  throw new TallyError('ESPHOME_BAD_FRAME', 'frame header varint is longer than a uint32');
}

export function writeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Uint8Array.from(out);
}
