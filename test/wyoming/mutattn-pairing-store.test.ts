import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PairingStore, pairingPath, readPairingFile, removePairingFile } from '../../src/voice/wyoming/pairing-store.ts';

// The pairing file as the owner finds it on disk, and the errors that name it: which Home
// Assistant the satellite belongs to must never be lost, half-written or silently reset.
const dataDir = () => mkdtempSync(join(tmpdir(), 'tally-pairing-mut-'));
const HA = { host: '192.168.1.10', pairedAt: '2026-01-01T00:00:00.000Z' };

function thrown(fn: () => unknown): { code?: string; message: string; cause?: { code?: string } } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; message: string; cause?: { code?: string } };
  }
  throw new Error('expected a throw');
}

describe('Wyoming pairing store on disk', () => {
  it('writes exactly the pretty-printed pairing with a final newline, and no temp file is left', () => {
    const dir = dataDir();
    new PairingStore(dir).save(HA);
    expect(readFileSync(pairingPath(dir), 'utf8')).toBe('{\n  "host": "192.168.1.10",\n  "pairedAt": "2026-01-01T00:00:00.000Z"\n}\n');
    expect(readdirSync(dir)).toEqual(['wyoming-pairing.json']);
  });

  it('with a data dir the file decides, not the initial pairing', () => {
    const dir = dataDir();
    expect(new PairingStore(dir, HA).pairing).toBeNull();
    writeFileSync(pairingPath(dir), JSON.stringify({ host: '192.0.2.7', pairedAt: HA.pairedAt }));
    expect(new PairingStore(dir, HA).pairing).toEqual({ host: '192.0.2.7', pairedAt: HA.pairedAt });
  });

  it('reset forgets the pairing in the running store too, not only on disk', () => {
    const dir = dataDir();
    const s = new PairingStore(dir);
    s.save(HA);
    expect(s.reset()).toBe(true);
    expect(s.pairing).toBeNull();
    expect(new PairingStore(dir).pairing).toBeNull();
    expect(s.reset()).toBe(false);
  });

  it('reset reports a pairing another process wrote after this store loaded, and one whose file already went', () => {
    const dir = dataDir();
    const s = new PairingStore(dir);
    new PairingStore(dir).save(HA);
    expect(s.reset()).toBe(true);
    expect(new PairingStore(dir).pairing).toBeNull();

    const t = new PairingStore(dir);
    t.save(HA);
    unlinkSync(pairingPath(dir));
    expect(t.reset()).toBe(true);
    expect(t.pairing).toBeNull();
  });

  it('a reset that cannot remove the file is an error and forgets nothing', () => {
    const dir = dataDir();
    const s = new PairingStore(dir);
    s.save(HA);
    unlinkSync(pairingPath(dir));
    mkdirSync(pairingPath(dir));
    writeFileSync(join(pairingPath(dir), 'x'), '');
    expect(thrown(() => s.reset()).code).toBe('WYOMING_PAIRING_UNWRITABLE');
    expect(s.pairing).toEqual(HA);
  });

  it('a data dir that is a file is WYOMING_PAIRING_UNREADABLE naming the pairing file, with the cause', () => {
    const notADir = join(dataDir(), 'data');
    writeFileSync(notADir, 'a file where the data dir should be');
    const e = thrown(() => new PairingStore(notADir));
    expect(e.code).toBe('WYOMING_PAIRING_UNREADABLE');
    expect(e.message).toBe(`cannot read ${join(notADir, 'wyoming-pairing.json')}`);
    expect(e.cause?.code).toBe('ENOTDIR');
  });

  it('a save that cannot be written is WYOMING_PAIRING_UNWRITABLE naming the file, and the old pairing stays', () => {
    const dir = join(dataDir(), 'data');
    const s = new PairingStore(dir);
    s.save(HA);
    // The data dir is replaced by a file behind the store's back: the next save cannot write.
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'x');
    const e = thrown(() => s.save({ host: '192.0.2.9', pairedAt: HA.pairedAt }));
    expect(e.code).toBe('WYOMING_PAIRING_UNWRITABLE');
    expect(e.message).toBe(`cannot write ${pairingPath(dir)}`);
    expect(s.pairing).toEqual(HA);
  });

  it('read and remove errors name the file and keep the cause', () => {
    const dir = dataDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const inside = join(file, 'wyoming-pairing.json');
    const r = thrown(() => readPairingFile(inside));
    expect(r).toMatchObject({ code: 'WYOMING_PAIRING_UNREADABLE', message: `cannot read ${inside}` });
    expect(r.cause?.code).toBe('ENOTDIR');
    const u = thrown(() => removePairingFile(inside));
    expect(u).toMatchObject({ code: 'WYOMING_PAIRING_UNWRITABLE', message: `cannot remove ${inside}` });
    expect(u.cause?.code).toBe('ENOTDIR');
  });

  it('the corrupt-file messages name the file', () => {
    const dir = dataDir();
    const file = pairingPath(dir);
    writeFileSync(file, '{');
    expect(thrown(() => readPairingFile(file)).message).toBe(`${file} is not valid JSON; run "tally pair --reset" to forget it`);
    writeFileSync(file, '{}');
    expect(thrown(() => readPairingFile(file)).message).toBe(`${file} has no valid host; run "tally pair --reset" to forget it`);
  });
});
