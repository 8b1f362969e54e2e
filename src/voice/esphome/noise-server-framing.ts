import { isTallyError, TallyError } from '../../../hal/base/errors.ts';
import type { RawMessage } from './message-registry.ts';
import { NoiseFrameDecoder, encodeNoiseFrame, NOISE_MAX_PAYLOAD } from './noise-frame.ts';
import { NNpsk0Handshake, type NoiseTransport } from './noise-handshake.ts';
import { TAG_LEN } from './noise-crypto.ts';
import type { FramingResult, ServerFraming } from './server-framing.ts';

/**
 * The device side of ESPHome's encrypted API (spec §3): ClientHello → ServerHello(name,
 * mac) → handshake → data frames `AEAD(u16 type · u16 len · protobuf)`. Until the
 * handshake has verified the client's key, `receive` returns no message: nothing a
 * keyless client sends ever reaches the API layer.
 */
const HELLO_MAX = 64;
const HANDSHAKE_OK = 0x00;
const HANDSHAKE_REJECT = 0x01;

export interface NoiseIdentity {
  name: string;
  /** lower-case hex, no separators */
  mac: string;
}

type Phase = 'hello' | 'handshake' | 'data' | 'failed';

export class NoiseServerFraming implements ServerFraming {
  readonly kind = 'noise' as const;
  private phase: Phase = 'hello';
  private readonly decoder: NoiseFrameDecoder;
  private prologue: Uint8Array = new Uint8Array(0);
  private transport: NoiseTransport | null = null;

  constructor(private readonly psk: Uint8Array, private readonly identity: NoiseIdentity, private readonly maxPayload: number) {
    this.decoder = new NoiseFrameDecoder(Math.min(NOISE_MAX_PAYLOAD, maxPayload + 4 + TAG_LEN));
  }

  get ready(): boolean {
    return this.phase === 'data';
  }

  receive(chunk: Uint8Array): FramingResult {
    const result: FramingResult = { messages: [], write: [] };
    if (this.phase === 'failed') return result;
    if (this.phase === 'hello' && chunk.length > 0 && chunk[0] !== 0x01) {
      return this.reject(result, 'ESPHOME_PLAINTEXT_CLIENT', 'Bad indicator byte');
    }
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      return this.fail(result, isTallyError(e) ? e.code : 'ESPHOME_BAD_FRAME', (e as Error).message);
    }
    for (const frame of frames) {
      try {
        this.step(frame, result);
      } catch (e) {
        if (this.phase === 'handshake') return this.reject(result, 'ESPHOME_HANDSHAKE_FAILED', handshakeReason(e));
        return this.fail(result, isTallyError(e) ? e.code : 'ESPHOME_BAD_FRAME', (e as Error).message);
      }
      if (result.failure) return result;
    }
    return result;
  }

  encode(msg: RawMessage): Uint8Array {
    if (!this.transport) throw new TallyError('ESPHOME_NOT_READY', 'noise handshake not finished');
    const plain = new Uint8Array(4 + msg.payload.length);
    const view = new DataView(plain.buffer);
    view.setUint16(0, msg.type);
    view.setUint16(2, msg.payload.length);
    plain.set(msg.payload, 4);
    return encodeNoiseFrame(this.transport.send.encrypt(plain));
  }

  private step(frame: Uint8Array, result: FramingResult): void {
    if (this.phase === 'hello') return this.onClientHello(frame, result);
    if (this.phase === 'handshake') return this.onHandshake(frame, result);
    if (this.phase === 'data') result.messages.push(this.decryptData(frame));
  }

  private onClientHello(frame: Uint8Array, result: FramingResult): void {
    if (frame.length > HELLO_MAX) throw new TallyError('ESPHOME_BAD_FRAME', 'client hello too long');
    const head = new TextEncoder().encode('NoiseAPIInit');
    this.prologue = new Uint8Array(head.length + 2 + frame.length);
    this.prologue.set(head);
    new DataView(this.prologue.buffer).setUint16(head.length, frame.length);
    this.prologue.set(frame, head.length + 2);
    const enc = new TextEncoder();
    const name = enc.encode(this.identity.name);
    const mac = enc.encode(this.identity.mac);
    const hello = new Uint8Array(1 + name.length + 1 + mac.length + 1);
    hello[0] = 0x01;
    hello.set(name, 1);
    hello.set(mac, name.length + 2);
    result.write.push(encodeNoiseFrame(hello));
    this.phase = 'handshake';
  }

  private onHandshake(frame: Uint8Array, result: FramingResult): void {
    if (frame.length === 0) throw new TallyError('ESPHOME_HANDSHAKE_FAILED', 'Empty handshake message');
    if (frame[0] !== HANDSHAKE_OK) throw new TallyError('ESPHOME_HANDSHAKE_FAILED', 'Bad handshake error byte');
    const hs = new NNpsk0Handshake({ role: 'responder', psk: this.psk, prologue: this.prologue });
    hs.readMessage(frame.subarray(1));
    const reply = hs.writeMessage(new Uint8Array(0));
    const out = new Uint8Array(1 + reply.length);
    out[0] = HANDSHAKE_OK;
    out.set(reply, 1);
    this.transport = hs.split();
    result.write.push(encodeNoiseFrame(out));
    this.phase = 'data';
  }

  private decryptData(frame: Uint8Array): RawMessage {
    const plain = this.transport!.receive.decrypt(frame);
    if (plain.length < 4) throw new TallyError('ESPHOME_BAD_FRAME', 'encrypted frame shorter than its header');
    const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    const type = view.getUint16(0);
    const len = view.getUint16(2);
    if (len !== plain.length - 4) throw new TallyError('ESPHOME_BAD_FRAME', 'encrypted frame length does not match');
    return { type, payload: plain.slice(4) };
  }

  /** The explicit reject frame HA understands (`Handshake MAC failure` → "Invalid encryption key"), then close. */
  private reject(result: FramingResult, code: string, reason: string): FramingResult {
    const text = new TextEncoder().encode(reason);
    const payload = new Uint8Array(1 + text.length);
    payload[0] = HANDSHAKE_REJECT;
    payload.set(text, 1);
    result.write.push(encodeNoiseFrame(payload));
    return this.fail(result, code, reason);
  }

  private fail(result: FramingResult, code: string, reason: string): FramingResult {
    this.phase = 'failed';
    result.messages = [];
    result.failure = { code, reason };
    return result;
  }
}

function handshakeReason(e: unknown): string {
  const msg = (e as Error).message;
  if (msg === 'Empty handshake message' || msg === 'Bad handshake error byte' || msg === 'Handshake MAC failure') return msg;
  return 'Handshake error';
}
