import { isTallyError } from '../../../hal/base/errors.ts';
import type { RawMessage } from './message-registry.ts';
import { NOISE_INDICATOR } from './noise-frame.ts';
import { PlaintextFrameDecoder, encodePlaintextFrame } from './plaintext-frame.ts';
import type { FramingResult, ServerFraming } from './server-framing.ts';

/** Plaintext port (`--esphome-plaintext` only). A Noise client gets no Noise reply, just a close. */
export class PlaintextServerFraming implements ServerFraming {
  readonly kind = 'plaintext' as const;
  readonly ready = true;
  private readonly decoder: PlaintextFrameDecoder;
  private first = true;

  constructor(maxPayload: number) {
    this.decoder = new PlaintextFrameDecoder(maxPayload);
  }

  receive(chunk: Uint8Array): FramingResult {
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk[0] === NOISE_INDICATOR) {
        return { messages: [], write: [], failure: { code: 'ESPHOME_ENCRYPTION_NOT_ENABLED', reason: 'client speaks Noise; this port is plaintext' } };
      }
    }
    try {
      return { messages: this.decoder.push(chunk), write: [] };
    } catch (e) {
      const code = isTallyError(e) ? e.code : 'ESPHOME_BAD_FRAME';
      return { messages: [], write: [], failure: { code, reason: (e as Error).message } };
    }
  }

  encode(msg: RawMessage): Uint8Array {
    return encodePlaintextFrame(msg);
  }
}
