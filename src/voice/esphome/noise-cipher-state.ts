import { TallyError } from '../../../hal/base/errors.ts';
import { aeadDecrypt, aeadEncrypt } from './noise-crypto.ts';

/**
 * A Noise CipherState: key + counter nonce. A nonce is never reused: a failed decrypt
 * does not advance it (the connection is closed anyway), and the counter refuses to wrap.
 */
const EMPTY = new Uint8Array(0);
const MAX_NONCE = Number.MAX_SAFE_INTEGER;

export class CipherState {
  private n = 0;

  constructor(private readonly key: Uint8Array) {}

  get nonce(): number {
    return this.n;
  }

  encrypt(plaintext: Uint8Array, ad: Uint8Array = EMPTY): Uint8Array {
    return aeadEncrypt(this.key, this.take(), ad, plaintext);
  }

  decrypt(ciphertext: Uint8Array, ad: Uint8Array = EMPTY): Uint8Array {
    const out = aeadDecrypt(this.key, this.n, ad, ciphertext);
    this.take();
    return out;
  }

  private take(): number {
    if (this.n >= MAX_NONCE) throw new TallyError('ESPHOME_NONCE_EXHAUSTED', 'noise nonce space exhausted');
    return this.n++;
  }
}
