/**
 * One Wyoming event on the wire: a JSON header line, an optional JSON data block and an
 * optional raw payload (audio). See ../../../shared/reference/wyoming.md §2.
 */
export interface WyomingFrame {
  type: string;
  /** The merged data (inline header `data` overlaid by the data block). Empty when absent. */
  data: Record<string, unknown>;
  /** Raw payload bytes (only `audio-chunk` carries one), or null when absent. */
  payload: Buffer | null;
  /** The writer's library version as read from the header (informational), if any. */
  version?: string;
}

/**
 * Caps on what one frame may make us buffer. The reference reader has none (a 16 MiB
 * payload is accepted); ours bounds memory per connection. HA's TTS chunks are 2048 bytes.
 */
export interface WyomingLimits {
  /** Bytes allowed before the LF of a header line. */
  maxHeaderBytes: number;
  maxDataBytes: number;
  maxPayloadBytes: number;
}

export const DEFAULT_LIMITS: WyomingLimits = Object.freeze({
  maxHeaderBytes: 64 * 1024,
  maxDataBytes: 1024 * 1024,
  maxPayloadBytes: 1024 * 1024,
});

/** The version we write in headers: the protocol revision our event set follows. */
export const WYOMING_WRITER_VERSION = '1.9.0';

/** Every framing error code the decoder can raise (each one closes the connection). */
export const WYOMING_FRAME_ERROR_CODES = [
  'WYOMING_HEADER_TOO_LONG',
  'WYOMING_BAD_UTF8',
  'WYOMING_BAD_JSON',
  'WYOMING_HEADER_NOT_OBJECT',
  'WYOMING_MISSING_TYPE',
  'WYOMING_BAD_LENGTH',
  'WYOMING_DATA_TOO_LARGE',
  'WYOMING_PAYLOAD_TOO_LARGE',
  'WYOMING_DATA_NOT_OBJECT',
  'WYOMING_TRUNCATED',
  'WYOMING_DECODER_FAILED',
] as const;
export type WyomingFrameErrorCode = (typeof WYOMING_FRAME_ERROR_CODES)[number];
