import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAIRING_FILE, PairingStore, pairingPath, readPairingFile, removePairingFile } from '../../src/voice/wyoming/pairing-store.ts';

// Which Home Assistant the satellite belongs to, on disk: a damaged file never reads as
// "unpaired" (that would let the next LAN client pair).
const dataDir = () => mkdtempSync(join(tmpdir(), 'tally-pairing-store-'));
const HA = { host: '192.168.1.10', pairedAt: '2026-01-01T00:00:00.000Z' };

describe('Wyoming pairing store', () => {
  it('is <dataDir>/wyoming-pairing.json, private to the owner, and read back by a new store (a restart)', () => {
    const dir = dataDir();
    expect(PAIRING_FILE).toBe('wyoming-pairing.json');
    expect(pairingPath(dir)).toBe(join(dir, 'wyoming-pairing.json'));
    const s = new PairingStore(dir);
    expect(s.pairing).toBeNull();
    s.save(HA);
    expect(s.pairing).toEqual(HA);
    expect(JSON.parse(readFileSync(pairingPath(dir), 'utf8'))).toEqual(HA);
    expect(statSync(pairingPath(dir)).mode & 0o077).toBe(0);
    expect(new PairingStore(dir).pairing).toEqual(HA);
  });

  it('reset removes the file and says whether there was a pairing', () => {
    const dir = dataDir();
    const s = new PairingStore(dir);
    expect(s.reset()).toBe(false);
    s.save(HA);
    expect(new PairingStore(dir).reset()).toBe(true);
    expect(new PairingStore(dir).pairing).toBeNull();
    expect(removePairingFile(pairingPath(dir))).toBe(false);
  });

  it('without a data dir it is memory only: the initial pairing, save, reset', () => {
    const s = new PairingStore(null, HA);
    expect(s.file).toBeNull();
    expect(s.pairing).toEqual(HA);
    expect(s.reset()).toBe(true);
    expect(s.pairing).toBeNull();
    expect(s.reset()).toBe(false);
    s.save(HA);
    expect(s.pairing).toEqual(HA);
    expect(new PairingStore(null).pairing).toBeNull();
  });

  it.each([
    ['not JSON', '{"host": "192.', /is not valid JSON/],
    ['null', 'null', /has no valid host/],
    ['a string', '"192.168.1.10"', /has no valid host/],
    ['no host', JSON.stringify({ pairedAt: HA.pairedAt }), /has no valid host/],
    ['an empty host', JSON.stringify({ host: '', pairedAt: HA.pairedAt }), /has no valid host/],
    ['a numeric host', JSON.stringify({ host: 3232235786, pairedAt: HA.pairedAt }), /has no valid host/],
    ['no pairedAt', JSON.stringify({ host: HA.host }), /has no valid host/],
    ['a numeric pairedAt', JSON.stringify({ host: HA.host, pairedAt: 1 }), /has no valid host/],
  ])('a file with %s is WYOMING_PAIRING_CORRUPT (with the way out), never unpaired', (_what, text, message) => {
    const dir = dataDir();
    writeFileSync(pairingPath(dir), text);
    const err = (() => {
      try {
        new PairingStore(dir);
      } catch (e) {
        return e as { code: string; message: string };
      }
      return null;
    })();
    expect(err?.code).toBe('WYOMING_PAIRING_CORRUPT');
    expect(err?.message).toMatch(message);
    expect(err?.message).toContain('tally pair --reset');
  });

  it('extra fields are dropped: only host and pairedAt are kept', () => {
    const dir = dataDir();
    writeFileSync(pairingPath(dir), JSON.stringify({ ...HA, note: 'x' }));
    expect(readPairingFile(pairingPath(dir))).toEqual(HA);
  });

  it('a pairing path that cannot be read or removed is a coded error', () => {
    const dir = dataDir();
    mkdirSync(pairingPath(dir));
    writeFileSync(join(pairingPath(dir), 'x'), '');
    expect(() => new PairingStore(dir)).toThrow(expect.objectContaining({ code: 'WYOMING_PAIRING_UNREADABLE' }));
    expect(() => removePairingFile(pairingPath(dir))).toThrow(expect.objectContaining({ code: 'WYOMING_PAIRING_UNWRITABLE' }));
  });
});
