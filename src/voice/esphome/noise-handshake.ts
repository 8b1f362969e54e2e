import { TallyError } from '../../../hal/base/errors.ts';
import { CipherState } from './noise-cipher-state.ts';
import { DH_LEN, HASH_LEN, TAG_LEN, aeadDecrypt, aeadEncrypt, dh, generateKeyPair, hkdf, sha256, type KeyPair } from './noise-crypto.ts';

/**
 * Noise_NNpsk0_25519_ChaChaPoly_SHA256, both roles, written once from the Noise spec
 * (rev 34 §5, §9) and checked against the cacophony test vector:
 *   -> psk, e        (initiator: MixKeyAndHash(psk); e; EncryptAndHash(payload))
 *   <- e, ee         (responder: e; ee; EncryptAndHash(payload))
 * In psk mode every `e` token also does MixKey(e.pub). Split() gives the
 * initiator→responder cipher first.
 */
export const NOISE_PROTOCOL = 'Noise_NNpsk0_25519_ChaChaPoly_SHA256';
export const PSK_LEN = 32;

export type NoiseRole = 'initiator' | 'responder';

export interface NoiseTransport {
  /** Encrypts what this side sends. */
  send: CipherState;
  /** Decrypts what this side receives. */
  receive: CipherState;
  handshakeHash: Uint8Array;
}

export interface HandshakeOptions {
  role: NoiseRole;
  psk: Uint8Array;
  prologue: Uint8Array;
  /** Fixed ephemeral key for the test vectors; a fresh one otherwise. */
  ephemeral?: KeyPair;
}

export class NNpsk0Handshake {
  private h: Uint8Array;
  private ck: Uint8Array;
  private k: Uint8Array | null = null;
  private n = 0;
  private readonly e: KeyPair;
  private re: Uint8Array | null = null;
  private step = 0;
  private readonly role: NoiseRole;
  private readonly psk: Uint8Array;

  constructor(opts: HandshakeOptions) {
    if (opts.psk.length !== PSK_LEN) throw new TallyError('ESPHOME_BAD_KEY', `noise psk must be ${PSK_LEN} bytes`);
    this.role = opts.role;
    this.psk = opts.psk;
    this.e = opts.ephemeral ?? generateKeyPair();
    const name = new TextEncoder().encode(NOISE_PROTOCOL);
    this.h = name.length <= HASH_LEN ? padTo(name, HASH_LEN) : sha256(name);
    this.ck = this.h;
    this.mixHash(opts.prologue);
  }

  /** Initiator message 1 or responder message 2. */
  writeMessage(payload: Uint8Array): Uint8Array {
    this.expectTurn('write');
    if (this.role === 'initiator') this.mixKeyAndHash(this.psk);
    this.mixHash(this.e.publicKey);
    this.mixKey(this.e.publicKey);
    if (this.role === 'responder') this.mixKey(dh(this.e, this.re!));
    const body = this.encryptAndHash(payload);
    this.step++;
    return concat(this.e.publicKey, body);
  }

  /** Reads the other side's message; throws ESPHOME_HANDSHAKE_FAILED (wrong key → MAC failure). */
  readMessage(message: Uint8Array): Uint8Array {
    this.expectTurn('read');
    if (message.length < DH_LEN + TAG_LEN) throw new TallyError('ESPHOME_HANDSHAKE_FAILED', 'noise handshake message too short');
    if (this.role === 'responder') this.mixKeyAndHash(this.psk);
    this.re = message.slice(0, DH_LEN);
    this.mixHash(this.re);
    this.mixKey(this.re);
    if (this.role === 'initiator') this.mixKey(dh(this.e, this.re));
    const payload = this.decryptAndHash(message.subarray(DH_LEN));
    this.step++;
    return payload;
  }

  get complete(): boolean {
    return this.step === 2;
  }

  split(): NoiseTransport {
    if (!this.complete) throw new TallyError('ESPHOME_HANDSHAKE_FAILED', 'noise handshake not complete');
    const [k1, k2] = hkdf(this.ck, new Uint8Array(0), 2);
    const i2r = new CipherState(k1);
    const r2i = new CipherState(k2);
    return this.role === 'initiator'
      ? { send: i2r, receive: r2i, handshakeHash: this.h }
      : { send: r2i, receive: i2r, handshakeHash: this.h };
  }

  private expectTurn(op: 'read' | 'write'): void {
    const writes = this.role === 'initiator' ? this.step === 0 : this.step === 1;
    const reads = this.role === 'initiator' ? this.step === 1 : this.step === 0;
    if ((op === 'write' && !writes) || (op === 'read' && !reads)) {
      throw new TallyError('ESPHOME_HANDSHAKE_FAILED', `noise handshake: ${op} out of turn`);
    }
  }

  private mixHash(data: Uint8Array): void {
    this.h = sha256(this.h, data);
  }

  private mixKey(ikm: Uint8Array): void {
    const [ck, k] = hkdf(this.ck, ikm, 2);
    this.ck = ck;
    this.k = k;
    this.n = 0;
  }

  private mixKeyAndHash(ikm: Uint8Array): void {
    const [ck, h, k] = hkdf(this.ck, ikm, 3);
    this.ck = ck;
    this.mixHash(h);
    this.k = k;
    this.n = 0;
  }

  private encryptAndHash(plaintext: Uint8Array): Uint8Array {
    const c = this.k ? aeadEncrypt(this.k, this.n++, this.h, plaintext) : plaintext;
    this.mixHash(c);
    return c;
  }

  private decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    let p = ciphertext;
    if (this.k) {
      try {
        p = aeadDecrypt(this.k, this.n, this.h, ciphertext);
      } catch (cause) {
        throw new TallyError('ESPHOME_HANDSHAKE_FAILED', 'Handshake MAC failure', { cause });
      }
      this.n++;
    }
    this.mixHash(ciphertext);
    return p;
  }
}

function padTo(bytes: Uint8Array, len: number): Uint8Array {
  const out = new Uint8Array(len);
  out.set(bytes);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
