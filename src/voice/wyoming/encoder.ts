import { TallyError } from '../../../hal/base/errors.ts';
import { WYOMING_WRITER_VERSION, type WyomingFrame } from './frame.ts';
import { pyJsonDumps } from './py-json.ts';

export interface EncodeOptions {
  /** Header `version` value; the reference writes its library version. */
  version?: string;
}

/**
 * Encodes one frame in the reference writer's exact form: header keys in the order
 * type, version, data_length, payload_length; data never inline; an empty data object
 * and an empty payload are omitted; `data_length` counts UTF-8 bytes.
 */
export function encodeFrame(
  frame: { type: string; data?: Record<string, unknown> | null; payload?: Uint8Array | null },
  opts: EncodeOptions = {},
): Buffer {
  if (typeof frame.type !== 'string' || frame.type.length === 0) {
    throw new TallyError('WYOMING_MISSING_TYPE', 'a Wyoming frame needs a non-empty type');
  }
  const data = frame.data && Object.keys(frame.data).length > 0 ? Buffer.from(pyJsonDumps(frame.data), 'utf8') : null;
  const payload = frame.payload && frame.payload.byteLength > 0 ? frame.payload : null;
  const header: Record<string, unknown> = { type: frame.type, version: opts.version ?? WYOMING_WRITER_VERSION };
  if (data) header.data_length = data.byteLength;
  if (payload) header.payload_length = payload.byteLength;
  const head = Buffer.from(pyJsonDumps(header) + '\n', 'utf8');
  const parts: Uint8Array[] = [head];
  if (data) parts.push(data);
  if (payload) parts.push(payload);
  return Buffer.concat(parts);
}

/** Re-encodes a decoded frame (keeps its version unless told otherwise). */
export function reencodeFrame(frame: WyomingFrame, opts: EncodeOptions = {}): Buffer {
  return encodeFrame(frame, { version: opts.version ?? frame.version ?? WYOMING_WRITER_VERSION });
}
