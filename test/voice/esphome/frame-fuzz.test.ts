import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTallyError } from '../../../hal/base/errors.ts';
import { NoiseFrameDecoder, encodeNoiseFrame } from '../../../src/voice/esphome/noise-frame.ts';
import { NNpsk0Handshake } from '../../../src/voice/esphome/noise-handshake.ts';
import { NoiseServerFraming } from '../../../src/voice/esphome/noise-server-framing.ts';
import { PlaintextFrameDecoder, encodePlaintextFrame } from '../../../src/voice/esphome/plaintext-frame.ts';
import { PlaintextServerFraming } from '../../../src/voice/esphome/plaintext-server-framing.ts';
import { RawClient } from './support/raw-client.ts';
import { satelliteFixture } from './support/satellite-fixture.ts';
import { until } from './support/ha-peer.ts';

/**
 * Fuzz of the frame and Noise layers: any bytes in any split either decode, wait for more
 * (holding at most one capped frame) or fail with a coded TallyError — never another
 * exception, never unbounded memory, and never a message before the key was proven.
 */
const MAX = 1024;
const CODES = new Set(['ESPHOME_BAD_FRAME', 'ESPHOME_FRAME_TOO_LARGE']);
const splits = (bytes: Uint8Array, cuts: number[]) => {
  const pts = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of [...pts, bytes.length]) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  return out;
};

describe('frame layer fuzz', () => {
  it('plaintext decoder: random bytes never escape as a non-coded error and never exceed the cap', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const d = new PlaintextFrameDecoder(MAX);
        try {
          for (const c of chunks) {
            for (const f of d.push(c)) expect(f.payload.length).toBeLessThanOrEqual(MAX);
            expect(d.buffered).toBeLessThanOrEqual(MAX + 11);
          }
        } catch (e) {
          expect(isTallyError(e) && CODES.has(e.code)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('plaintext and noise frames: any split of valid frames decodes to the same frames', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ type: fc.integer({ min: 0, max: 300 }), payload: fc.uint8Array({ maxLength: 600 }) }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (msgs, cuts) => {
        const plain = Buffer.concat(msgs.map((m) => encodePlaintextFrame(m)));
        const pd = new PlaintextFrameDecoder(MAX);
        const got = splits(plain, cuts).flatMap((c) => pd.push(c));
        expect(got.map((m) => [m.type, Buffer.from(m.payload).toString('hex')])).toEqual(msgs.map((m) => [m.type, Buffer.from(m.payload).toString('hex')]));
        const noise = Buffer.concat(msgs.map((m) => encodeNoiseFrame(m.payload)));
        const nd = new NoiseFrameDecoder(MAX);
        const frames = splits(noise, cuts).flatMap((c) => nd.push(c));
        expect(frames.map((f) => Buffer.from(f).toString('hex'))).toEqual(msgs.map((m) => Buffer.from(m.payload).toString('hex')));
      }),
      { numRuns: 300 },
    );
  });

  it('a length above the cap is refused from the header alone, before the payload arrives', () => {
    expect(() => new PlaintextFrameDecoder(MAX).push(Uint8Array.from([0, 0xff, 0xff, 0x03]))).toThrow(expect.objectContaining({ code: 'ESPHOME_FRAME_TOO_LARGE' }));
    expect(() => new NoiseFrameDecoder(MAX).push(Uint8Array.from([1, 0xff, 0xff]))).toThrow(expect.objectContaining({ code: 'ESPHOME_FRAME_TOO_LARGE' }));
    expect(() => new PlaintextFrameDecoder(MAX).push(Uint8Array.from([0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toThrow(expect.objectContaining({ code: 'ESPHOME_BAD_FRAME' }));
  });
});

describe('Noise server framing fuzz', () => {
  const identity = { name: 'tally', mac: '0200007a1101' };
  it('random bytes: no message ever, never a throw, a coded failure or waiting', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 12 }), (chunks) => {
        const s = new NoiseServerFraming(randomBytes(32), identity, MAX);
        for (const c of chunks) {
          const r = s.receive(c);
          expect(r.messages).toHaveLength(0);
          if (r.failure) expect(r.failure.code).toMatch(/^ESPHOME_/);
        }
        expect(s.ready).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a valid handshake with one byte flipped (or a wrong key) never becomes ready; unflipped it does', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (pos, flip, wrongKey) => {
        const psk = randomBytes(32);
        const hs = new NNpsk0Handshake({ role: 'initiator', psk: wrongKey ? randomBytes(32) : psk, prologue: new TextEncoder().encode('NoiseAPIInit\x00\x00') });
        const bytes = Buffer.concat([encodeNoiseFrame(new Uint8Array(0)), encodeNoiseFrame(Uint8Array.from([0, ...hs.writeMessage(new Uint8Array(0))]))]);
        const s0 = new NoiseServerFraming(psk, identity, MAX);
        s0.receive(bytes);
        expect(s0.ready).toBe(!wrongKey);
        const bad = Buffer.from(bytes);
        bad[pos % bad.length] ^= flip;
        const s = new NoiseServerFraming(psk, identity, MAX);
        const r = s.receive(bad);
        expect(s.ready).toBe(false);
        expect(r.messages).toHaveLength(0);
      }),
      { numRuns: 300 },
    );
  });

  it('plaintext port: random bytes give coded failures only', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 12 }), (chunks) => {
        const s = new PlaintextServerFraming(MAX);
        for (const c of chunks) {
          const r = s.receive(c);
          if (r.failure) {
            expect(r.failure.code).toMatch(/^ESPHOME_/);
            break;
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('live server under garbage', () => {
  it('random byte streams close only their own connection with a coded line; the server keeps serving', { timeout: 60_000 }, async () => {
    const fx = await satelliteFixture({ limits: { setupTimeoutMs: 300 } });
    try {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), async (junk) => {
          const c = await RawClient.open(fx.sat.port, 'noise');
          c.write(junk);
          await until(() => c.closed, 3000, 'closed');
          expect(c.received).toHaveLength(0);
        }),
        { numRuns: 25 },
      );
      expect(fx.logs.every((l) => /^esphome( ESPHOME_[A-Z_]+:|:)/.test(l))).toBe(true);
      const ok = await RawClient.open(fx.sat.port, 'noise');
      ok.startNoise(fx.psk);
      await until(() => ok.encrypted, 3000, 'a real client still gets in');
      ok.close();
    } finally {
      await fx.close();
    }
  });
});
