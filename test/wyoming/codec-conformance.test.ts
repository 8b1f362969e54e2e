import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeAll, WyomingDecoder } from '../../src/voice/wyoming/decoder.ts';
import { encodeFrame } from '../../src/voice/wyoming/encoder.ts';
import { binFiles, frameFile, loadIndex, loadSession, sessionFrameBytes } from './captures.ts';

const index = loadIndex();

describe('Wyoming codec against the reference frames (frames/*.bin)', () => {
  it('the index describes every .bin file and the files match their sha256', () => {
    expect(index.map((e) => e.file).sort()).toEqual(binFiles());
    for (const e of index) {
      const bytes = frameFile(e.file);
      expect(bytes.byteLength).toBe(e.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(e.sha256);
    }
  });

  for (const e of index) {
    it(`decodes ${e.file} as the index says`, () => {
      const frames = decodeAll(frameFile(e.file));
      expect(frames.map((f) => f.type)).toEqual(e.frames.map((f) => f.type));
      frames.forEach((f, i) => {
        const want = e.frames[i]!;
        expect(f.data).toEqual(want.data ?? {});
        expect(f.payload?.toString('hex') ?? null).toBe(want.payload_hex);
        expect(f.payload?.byteLength ?? 0).toBe(want.payload_length);
        expect(f.version).toBe('1.9.0');
      });
    });

    it(`re-encodes ${e.file} byte for byte`, () => {
      const frames = decodeAll(frameFile(e.file));
      const out = Buffer.concat(frames.map((f) => encodeFrame(f, { version: '1.9.0' })));
      expect(out.equals(frameFile(e.file))).toBe(true);
    });
  }

  it('decodes the concatenation of every file, fed one byte at a time', () => {
    const all = Buffer.concat(index.map((e) => frameFile(e.file)));
    const want = index.flatMap((e) => e.frames.map((f) => f.type));
    const d = new WyomingDecoder();
    const got: string[] = [];
    for (let i = 0; i < all.byteLength; i++) got.push(...d.push(all.subarray(i, i + 1)).map((f) => f.type));
    d.end();
    expect(got).toEqual(want);
    expect(d.bufferedBytes).toBe(0);
  });

  it('data_length counts UTF-8 bytes, not characters (transcript-utf8.bin)', () => {
    const [f] = decodeAll(frameFile('transcript-utf8.bin'));
    const text = f!.data.text as string;
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length);
    expect(encodeFrame({ type: 'transcript', data: { text } }).equals(frameFile('transcript-utf8.bin'))).toBe(true);
  });
});

describe('Wyoming codec against the recorded session (1.5.4 satellite, 1.9.0 HA stand-in)', () => {
  const session = loadSession();

  it('replays every frame of the session: types, data and payload lengths match', () => {
    const bytes = Buffer.concat(session.map(sessionFrameBytes));
    const frames = decodeAll(bytes);
    expect(frames).toHaveLength(session.length);
    frames.forEach((f, i) => {
      const l = session[i]!;
      expect(f.type).toBe(l.type);
      expect(f.data).toEqual(l.data ?? {});
      expect(f.payload?.byteLength ?? 0).toBe(l.payload_length);
    });
  });

  it('re-encodes every session frame byte for byte (both writer versions)', () => {
    const versions = new Set<string>();
    for (const l of session) {
      const [f] = decodeAll(sessionFrameBytes(l));
      versions.add(f!.version!);
      const out = encodeFrame(f!, { version: f!.version! });
      expect(out.equals(sessionFrameBytes(l))).toBe(true);
      expect(out.byteLength).toBe(l.frame_bytes);
    }
    expect([...versions].sort()).toEqual(['1.5.4', '1.9.0']);
  });

  it('keeps nanosecond timestamps of the reference mic chunks exact (below 2^53)', () => {
    const chunk = session.find((l) => l.type === 'audio-chunk' && l.dir === 'from-satellite')!;
    const [f] = decodeAll(sessionFrameBytes(chunk));
    expect(String(f!.data.timestamp)).toBe(JSON.parse(chunk.data_raw!.replace(/(\d{13,})/g, '"$1"')).timestamp);
  });
});
