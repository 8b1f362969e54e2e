import { TallyError } from '../../../hal/base/errors.ts';
import { DEFAULT_LIMITS, type WyomingFrame, type WyomingFrameErrorCode, type WyomingLimits } from './frame.ts';

const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(code: WyomingFrameErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new TallyError(code, message, details ? { details } : {});
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Missing, null, 0 or negative mean "no block" (as the reference reads it); anything non-integer is an error. */
function readLength(header: Record<string, unknown>, key: 'data_length' | 'payload_length', max: number): number {
  const v = header[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) fail('WYOMING_BAD_LENGTH', `${key} must be an integer`, { key });
  if (v <= 0) return 0;
  if (v > max) {
    fail(key === 'data_length' ? 'WYOMING_DATA_TOO_LARGE' : 'WYOMING_PAYLOAD_TOO_LARGE', `${key} ${v} exceeds the limit of ${max} bytes`, {
      key,
      length: v,
      max,
    });
  }
  return v;
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    fail('WYOMING_BAD_UTF8', `${what} is not valid UTF-8`);
  }
  try {
    return JSON.parse(text);
  } catch {
    fail('WYOMING_BAD_JSON', `${what} is not valid JSON`);
  }
}

type Pending = { header: Record<string, unknown>; type: string; version?: string; dataLength: number; payloadLength: number };

/**
 * Streaming Wyoming frame decoder. Feed it whatever the socket delivers; it returns
 * every complete frame. It reads leniently (CRLF, leading whitespace, no version, unknown
 * keys, inline `data` merged under the block, null/0/negative lengths) and strictly caps
 * what it buffers: at most one header line (`maxHeaderBytes`) or one data block plus one
 * payload. On bad input it throws a TallyError with a WYOMING_* code and is dead from then
 * on; the caller closes the connection.
 */
export class WyomingDecoder {
  readonly limits: WyomingLimits;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #pending: Pending | null = null;
  #failed: TallyError | null = null;

  constructor(limits: Partial<WyomingLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Bytes held waiting for the rest of a frame (bounded by the limits). */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  push(chunk: Uint8Array): WyomingFrame[] {
    if (this.#failed) fail('WYOMING_DECODER_FAILED', `decoder already failed with ${this.#failed.code}`);
    if (chunk.byteLength > 0) {
      this.#chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.#buffered += chunk.byteLength;
    }
    const frames: WyomingFrame[] = [];
    try {
      for (;;) {
        const frame = this.#next();
        if (!frame) break;
        frames.push(frame);
      }
    } catch (e) {
      this.#failed = e as TallyError;
      this.#chunks = [];
      this.#buffered = 0;
      throw e;
    }
    return frames;
  }

  /** Call at end of stream: throws WYOMING_TRUNCATED if a frame was cut off. */
  end(): void {
    if (this.#failed) return;
    const rest = this.#take(this.#buffered);
    if (this.#pending || rest.toString('latin1').trim().length > 0) {
      this.#failed = new TallyError('WYOMING_TRUNCATED', 'connection ended inside a frame');
      throw this.#failed;
    }
  }

  #take(n: number): Buffer {
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.#chunks = rest.byteLength ? [rest] : [];
    this.#buffered = rest.byteLength;
    return head;
  }

  #indexOfLf(): number {
    let base = 0;
    for (const c of this.#chunks) {
      const i = c.indexOf(LF);
      if (i >= 0) return base + i;
      base += c.byteLength;
    }
    return -1;
  }

  #next(): WyomingFrame | null {
    if (!this.#pending) {
      const lf = this.#indexOfLf();
      if (lf < 0) {
        if (this.#buffered > this.limits.maxHeaderBytes) {
          fail('WYOMING_HEADER_TOO_LONG', `header line longer than ${this.limits.maxHeaderBytes} bytes`);
        }
        return null;
      }
      if (lf > this.limits.maxHeaderBytes) {
        fail('WYOMING_HEADER_TOO_LONG', `header line longer than ${this.limits.maxHeaderBytes} bytes`);
      }
      const line = this.#take(lf + 1).subarray(0, lf);
      this.#pending = this.#parseHeader(line);
    }
    const p = this.#pending;
    if (this.#buffered < p.dataLength + p.payloadLength) return null;
    this.#pending = null;
    let data: Record<string, unknown> = {};
    const inline = p.header.data;
    if (inline !== undefined && inline !== null) {
      if (!isPlainObject(inline)) fail('WYOMING_DATA_NOT_OBJECT', 'inline header data is not an object');
      data = { ...inline };
    }
    if (p.dataLength > 0) {
      const block = parseJson(this.#take(p.dataLength), 'data block');
      if (!isPlainObject(block)) fail('WYOMING_DATA_NOT_OBJECT', 'data block is not a JSON object');
      Object.assign(data, block); // block keys win, as in the reference reader
    }
    const payload = p.payloadLength > 0 ? Buffer.from(this.#take(p.payloadLength)) : null;
    const frame: WyomingFrame = { type: p.type, data, payload };
    if (p.version !== undefined) frame.version = p.version;
    return frame;
  }

  #parseHeader(line: Buffer): Pending {
    // CRLF and surrounding whitespace are tolerated; an empty line is not (reference: "no event").
    const header = parseJson(line, 'header line');
    if (!isPlainObject(header)) fail('WYOMING_HEADER_NOT_OBJECT', 'header line is not a JSON object');
    const type = header.type;
    if (typeof type !== 'string' || type.length === 0) fail('WYOMING_MISSING_TYPE', 'header has no string "type"');
    const dataLength = readLength(header, 'data_length', this.limits.maxDataBytes);
    const payloadLength = readLength(header, 'payload_length', this.limits.maxPayloadBytes);
    const pending: Pending = { header, type, dataLength, payloadLength };
    if (typeof header.version === 'string') pending.version = header.version;
    return pending;
  }
}

/** Decodes a complete byte string (tests, captures): all frames, or a TallyError. */
export function decodeAll(bytes: Uint8Array, limits: Partial<WyomingLimits> = {}): WyomingFrame[] {
  const d = new WyomingDecoder(limits);
  const frames = d.push(bytes);
  d.end();
  return frames;
}
