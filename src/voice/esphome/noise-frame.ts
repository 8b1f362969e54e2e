import { TallyError } from '../../../hal/base/errors.ts';

/**
 * ESPHome Noise framing: `0x01 · uint16 BE length · payload`. The protocol caps a payload
 * at 65535 bytes; the decoder refuses anything above `maxPayload` as soon as the 3-byte
 * header is in, so it never holds more than one capped frame.
 */
export const NOISE_INDICATOR = 0x01;
export const NOISE_MAX_PAYLOAD = 0xffff;

export function encodeNoiseFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > NOISE_MAX_PAYLOAD) {
    throw new TallyError('ESPHOME_FRAME_TOO_LARGE', `noise frame of ${payload.length} bytes exceeds 65535`);
  }
  const out = new Uint8Array(3 + payload.length);
  out[0] = NOISE_INDICATOR;
  out[1] = payload.length >> 8;
  out[2] = payload.length & 0xff;
  out.set(payload, 3);
  return out;
}

export class NoiseFrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload: number) {}

  get buffered(): number {
    return this.buf.length;
  }

  /** Feeds bytes; returns every whole frame payload. Throws ESPHOME_BAD_FRAME / ESPHOME_FRAME_TOO_LARGE. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const out: Uint8Array[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return out;
      out.push(frame);
    }
  }

  private next(): Uint8Array | null {
    if (this.buf.length === 0) return null;
    if (this.buf[0] !== NOISE_INDICATOR) {
      throw new TallyError('ESPHOME_BAD_FRAME', `noise frame starts with 0x${this.buf[0].toString(16).padStart(2, '0')}`);
    }
    if (this.buf.length < 3) return null;
    const len = this.buf.readUInt16BE(1);
    if (len > this.maxPayload) {
      throw new TallyError('ESPHOME_FRAME_TOO_LARGE', `noise frame of ${len} bytes exceeds ${this.maxPayload}`);
    }
    if (this.buf.length < 3 + len) return null;
    const payload = Uint8Array.prototype.slice.call(this.buf, 3, 3 + len);
    this.buf = this.buf.subarray(3 + len);
    return payload;
  }
}
