import { TallyError } from '../../../hal/base/errors.ts';
import type { RawMessage } from './message-registry.ts';
import { readVarint, writeVarint } from './varint.ts';

/**
 * ESPHome plaintext framing: `0x00 · varint(len) · varint(type) · payload`.
 * The decoder holds at most one frame header plus `maxPayload` bytes: a length above the
 * cap is refused as soon as the header is read, before any payload is buffered.
 */
export const PLAINTEXT_INDICATOR = 0x00;

export function encodePlaintextFrame(msg: RawMessage): Uint8Array {
  const len = writeVarint(msg.payload.length);
  const type = writeVarint(msg.type);
  const out = new Uint8Array(1 + len.length + type.length + msg.payload.length);
  out[0] = PLAINTEXT_INDICATOR;
  out.set(len, 1);
  out.set(type, 1 + len.length);
  out.set(msg.payload, 1 + len.length + type.length);
  return out;
}

export class PlaintextFrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload: number) {}

  /** Bytes held but not yet a whole frame. */
  get buffered(): number {
    return this.buf.length;
  }

  /** Feeds bytes; returns every whole frame. Throws ESPHOME_BAD_FRAME / ESPHOME_FRAME_TOO_LARGE. */
  push(chunk: Uint8Array): RawMessage[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const out: RawMessage[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return out;
      out.push(frame);
    }
  }

  private next(): RawMessage | null {
    if (this.buf.length === 0) return null;
    if (this.buf[0] !== PLAINTEXT_INDICATOR) {
      throw new TallyError('ESPHOME_BAD_FRAME', `plaintext frame starts with 0x${this.buf[0].toString(16).padStart(2, '0')}`);
    }
    const len = readVarint(this.buf, 1);
    if (!len) return null;
    if (len.value > this.maxPayload) {
      throw new TallyError('ESPHOME_FRAME_TOO_LARGE', `frame of ${len.value} bytes exceeds ${this.maxPayload}`);
    }
    const type = readVarint(this.buf, 1 + len.size);
    if (!type) return null;
    const start = 1 + len.size + type.size;
    if (this.buf.length < start + len.value) return null;
    const payload = Uint8Array.prototype.slice.call(this.buf, start, start + len.value);
    this.buf = this.buf.subarray(start + len.value);
    return { type: type.value, payload };
  }
}
