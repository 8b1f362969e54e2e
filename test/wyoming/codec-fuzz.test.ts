import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TallyError } from '../../hal/base/errors.ts';
import { WyomingDecoder } from '../../src/voice/wyoming/decoder.ts';
import { encodeFrame, reencodeFrame } from '../../src/voice/wyoming/encoder.ts';
import type { WyomingFrame } from '../../src/voice/wyoming/frame.ts';
import { binFiles, frameFile } from './captures.ts';

const LIMITS = { maxHeaderBytes: 512, maxDataBytes: 2048, maxPayloadBytes: 4096 };
/** Upper bound on what the decoder may hold: one header, or one data block + payload, plus one pushed chunk. */
const BOUND = LIMITS.maxHeaderBytes + LIMITS.maxDataBytes + LIMITS.maxPayloadBytes;

/** Feeds `bytes` in pieces cut at `cuts`; returns the frames, or the TallyError that stopped it. */
function feed(bytes: Uint8Array, cuts: number[]): { frames: number; decoded: WyomingFrame[]; error: TallyError | null; maxBuffered: number; bufferedAtEnd: number } {
  const d = new WyomingDecoder(LIMITS);
  const decoded: WyomingFrame[] = [];
  let frames = 0;
  let maxBuffered = 0;
  const points = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b);
  let prev = 0;
  try {
    for (const p of [...points, bytes.byteLength]) {
      const piece = bytes.subarray(prev, p);
      prev = p;
      const got = d.push(piece);
      decoded.push(...got);
      frames += got.length;
      maxBuffered = Math.max(maxBuffered, d.bufferedBytes - piece.byteLength);
    }
    d.end();
    return { frames, decoded, error: null, maxBuffered, bufferedAtEnd: d.bufferedBytes };
  } catch (e) {
    if (!(e instanceof TallyError)) throw e; // anything else fails the property
    expect(e.code).toMatch(/^WYOMING_/);
    return { frames, decoded, error: e, maxBuffered, bufferedAtEnd: d.bufferedBytes };
  }
}

const validFrame = fc
  .record({
    type: fc.constantFrom('ping', 'audio-chunk', 'transcript', 'x'),
    data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    payload: fc.uint8Array({ maxLength: 64 }),
  })
  .map((f) => encodeFrame(f));

const corpus = binFiles().map(frameFile);

describe('decoder fuzz (fast-check)', () => {
  it('random bytes: only TallyError, never a hang, memory bounded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8192 }), fc.array(fc.nat(), { maxLength: 16 }), (bytes, cuts) => {
        const r = feed(bytes, cuts);
        expect(r.maxBuffered).toBeLessThanOrEqual(BOUND);
      }),
      { numRuns: 400 },
    );
  });

  it('valid frames split anywhere decode to the same frames', () => {
    fc.assert(
      fc.property(fc.array(validFrame, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const bytes = Buffer.concat(frames);
        const r = feed(bytes, cuts);
        expect(r.error).toBeNull();
        expect(r.frames).toBe(frames.length);
      }),
      { numRuns: 300 },
    );
  });

  it('truncated and mutated reference frames: only TallyError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...corpus),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (frame, cut, mutations, cuts) => {
          const bytes = Buffer.from(frame.subarray(0, 1 + (cut % frame.byteLength)));
          for (const [at, v] of mutations) bytes[at % bytes.byteLength] = v;
          const r = feed(bytes, cuts);
          if (bytes.byteLength < frame.byteLength && r.error === null) {
            // Accepted although cut short: nothing may be held back, each frame needs its own header line...
            expect(r.bufferedAtEnd).toBe(0);
            expect(r.frames).toBeLessThanOrEqual(bytes.filter((b) => b === 0x0a).length);
            // ...and unmutated, only a cut between two frames is accepted: what was decoded is exactly that prefix.
            if (mutations.length === 0) expect(Buffer.concat(r.decoded.map((f) => reencodeFrame(f))).equals(bytes)).toBe(true);
          }
          expect(r.maxBuffered).toBeLessThanOrEqual(BOUND);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('oversize lengths are refused before the bytes are buffered', () => {
    fc.assert(
      fc.property(fc.integer({ min: LIMITS.maxPayloadBytes + 1, max: 2 ** 40 }), fc.boolean(), (len, isData) => {
        const key = isData ? 'data_length' : 'payload_length';
        const r = feed(Buffer.from(`{"type":"a","${key}":${len}}\n`), []);
        expect(r.error?.code).toBe(isData ? 'WYOMING_DATA_TOO_LARGE' : 'WYOMING_PAYLOAD_TOO_LARGE');
      }),
      { numRuns: 100 },
    );
  });
});
