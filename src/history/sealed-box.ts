import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TallyError } from '../../hal/base/errors.ts';

/**
 * Crypto-erase: every recording (and scan, and voice profile) is sealed with AES-256-GCM
 * under its own random key, and that key is stored only in its row. Once the row is
 * securely deleted, any remnant of the ciphertext left on flash (a truncated WAL, an
 * unlinked audio file's blocks) is unreadable.
 *
 * Layout: [version 1][iv 12][tag 16][ciphertext]. The additional data binds a sealed
 * field to its purpose and owner (e.g. `transcript:<row>`), so fields cannot be swapped.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const ROW_KEY_BYTES = 32;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

export function newRowKey(): Buffer {
  return randomBytes(ROW_KEY_BYTES);
}

export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function unseal(key: Buffer, sealed: Uint8Array, aad: string): Buffer {
  const box = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (box.length < HEADER_BYTES || box[0] !== VERSION) {
    throw new TallyError('HISTORY_SEALED_INVALID', `sealed ${aad.split(':')[0]} has an unknown format`);
  }
  const iv = box.subarray(1, 1 + IV_BYTES);
  const tag = box.subarray(1 + IV_BYTES, HEADER_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(box.subarray(HEADER_BYTES)), decipher.final()]);
  } catch (cause) {
    throw new TallyError('HISTORY_SEALED_INVALID', `sealed ${aad.split(':')[0]} failed authentication`, { cause });
  }
}

export function sealText(key: Buffer, text: string | null, aad: string): Buffer | null {
  return text === null ? null : seal(key, Buffer.from(text, 'utf8'), aad);
}

export function unsealText(key: Buffer, sealed: Uint8Array | null, aad: string): string | null {
  return sealed === null ? null : unseal(key, sealed, aad).toString('utf8');
}
