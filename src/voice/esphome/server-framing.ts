import type { RawMessage } from './message-registry.ts';

/**
 * What a server-side framing layer makes of incoming bytes: whole messages for the API,
 * bytes to write back (handshake replies), or a failure that closes the connection
 * (after `write`, e.g. the Noise reject frame, has been sent).
 */
export interface FramingResult {
  messages: RawMessage[];
  write: Uint8Array[];
  failure?: { code: string; reason: string };
}

export interface ServerFraming {
  readonly kind: 'plaintext' | 'noise';
  /** True once messages may flow (always for plaintext; after the handshake for Noise). */
  readonly ready: boolean;
  receive(chunk: Uint8Array): FramingResult;
  encode(msg: RawMessage): Uint8Array;
}
