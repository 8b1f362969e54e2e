import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileAtomic } from '../../../hal/base/atomic-file.ts';
import { TallyError } from '../../../hal/base/errors.ts';

/**
 * Which Home Assistant this satellite belongs to. Wyoming has no authentication, so the
 * only identity a client has is its address: we remember the host of the first Home
 * Assistant that completes setup (see `completesSetup` in pairing-policy.ts) and serve
 * nothing but `info` to anyone else.
 */
export interface Pairing {
  host: string;
  /** ISO time of pairing, for `tally pair` and the owner. */
  pairedAt: string;
}

export const PAIRING_FILE = 'wyoming-pairing.json';

export function pairingPath(dataDir: string): string {
  return join(dataDir, PAIRING_FILE);
}

function decodePairing(text: string, file: string): Pairing {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new TallyError('WYOMING_PAIRING_CORRUPT', `${file} is not valid JSON; run "tally pair --reset" to forget it`);
  }
  const p = v as Partial<Pairing> | null;
  if (!p || typeof p !== 'object' || typeof p.host !== 'string' || !p.host || typeof p.pairedAt !== 'string') {
    throw new TallyError('WYOMING_PAIRING_CORRUPT', `${file} has no valid host; run "tally pair --reset" to forget it`);
  }
  return { host: p.host, pairedAt: p.pairedAt };
}

/**
 * Persists the pairing in `<dataDir>/wyoming-pairing.json`, written atomically (temp
 * file, fsync, rename, fsync dir) so a power cut leaves the old or the new pairing,
 * never half of one. A corrupt file is an error, not "unpaired": failing open would let
 * the next LAN client pair.
 */
export class PairingStore {
  readonly file: string | null;
  #pairing: Pairing | null;

  /** `dataDir` null keeps the pairing in memory only (tests, demos). */
  constructor(dataDir: string | null, initial: Pairing | null = null) {
    this.file = dataDir ? pairingPath(dataDir) : null;
    this.#pairing = this.file ? readPairingFile(this.file) : initial;
  }

  get pairing(): Pairing | null {
    return this.#pairing;
  }

  save(p: Pairing): void {
    if (this.file) writePrivateFileAtomic(this.file, JSON.stringify(p, null, 2) + '\n', 'WYOMING_PAIRING_UNWRITABLE');
    this.#pairing = p;
  }

  /** Forgets the pairing; true when there was one. */
  reset(): boolean {
    const had = this.#pairing !== null;
    // The file first: when it cannot be removed, the pairing stays (in memory as on disk).
    const removed = this.file ? removePairingFile(this.file) : false;
    this.#pairing = null;
    return removed || had;
  }
}

export function readPairingFile(file: string): Pairing | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TallyError('WYOMING_PAIRING_UNREADABLE', `cannot read ${file}`, { cause: e });
  }
  return decodePairing(text, file);
}

export function removePairingFile(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new TallyError('WYOMING_PAIRING_UNWRITABLE', `cannot remove ${file}`, { cause: e });
  }
}

