import { createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { TallyError } from '../../../hal/base/errors.ts';

/**
 * The Noise primitives for `25519_ChaChaPoly_SHA256`, all from Node's own crypto:
 * X25519, ChaCha20-Poly1305 (IETF, 96-bit nonce = 4 zero bytes · 64-bit LE counter),
 * SHA-256, HMAC-SHA256 and the Noise HKDF built from it.
 */
export const DH_LEN = 32;
export const HASH_LEN = 32;
export const TAG_LEN = 16;

// DER prefixes that wrap a raw 32-byte X25519 key for Node's key import.
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: Uint8Array;
}

export function keyPairFromPrivate(raw: Uint8Array): KeyPair {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: rawPublic(createPublicKey(privateKey)) };
}

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey, publicKey: rawPublic(publicKey) };
}

function rawPublic(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }).subarray(-DH_LEN));
}

export function dh(own: KeyPair, remotePublic: Uint8Array): Uint8Array {
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_X25519, remotePublic]), format: 'der', type: 'spki' });
  return new Uint8Array(diffieHellman({ privateKey: own.privateKey, publicKey }));
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

function hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** Noise HKDF: `n` (2 or 3) outputs of HASH_LEN bytes. */
export function hkdf(chainingKey: Uint8Array, ikm: Uint8Array, n: 2 | 3): Uint8Array[] {
  const temp = hmac(chainingKey, ikm);
  const out1 = hmac(temp, Uint8Array.of(1));
  const out2 = hmac(temp, out1, Uint8Array.of(2));
  if (n === 2) return [out1, out2];
  return [out1, out2, hmac(temp, out2, Uint8Array.of(3))];
}

function nonceBytes(n: number): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64LE(BigInt(n), 4);
  return nonce;
}

export function aeadEncrypt(key: Uint8Array, n: number, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const c = createCipheriv('chacha20-poly1305', key, nonceBytes(n), { authTagLength: TAG_LEN });
  c.setAAD(ad, { plaintextLength: plaintext.length });
  return new Uint8Array(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
}

/** Throws ESPHOME_DECRYPT_FAILED when the tag does not verify. */
export function aeadDecrypt(key: Uint8Array, n: number, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length < TAG_LEN) throw new TallyError('ESPHOME_DECRYPT_FAILED', 'ciphertext shorter than its tag');
  const body = ciphertext.subarray(0, ciphertext.length - TAG_LEN);
  try {
    const d = createDecipheriv('chacha20-poly1305', key, nonceBytes(n), { authTagLength: TAG_LEN });
    d.setAAD(ad, { plaintextLength: body.length });
    d.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LEN));
    return new Uint8Array(Buffer.concat([d.update(body), d.final()]));
  } catch (cause) {
    throw new TallyError('ESPHOME_DECRYPT_FAILED', 'noise message does not authenticate', { cause });
  }
}
