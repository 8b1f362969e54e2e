import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WedgeDecoder } from '../../ui/src/usb-wedge.ts';
import { encodeWavBuffer as pcmToWav } from '../../hal/base/wav.ts';
import { remainingFollowUpMs } from '../../ui/src/follow-up-time.ts';

describe('USB barcode scanner (keyboard wedge)', () => {
  const typeAt = (d: WedgeDecoder, s: string, start: number, gap: number) => {
    let t = start;
    let out: string | null = null;
    for (const ch of s) out = d.key(ch, (t += gap)) ?? out;
    return { out: d.key('Enter', t + gap) ?? out, end: t + gap };
  };

  it('a fast burst ending in Enter is a scan', () => {
    expect(typeAt(new WedgeDecoder(), '4006381333931', 0, 5).out).toBe('4006381333931');
  });

  it('human typing is not a scan', () => {
    expect(typeAt(new WedgeDecoder(), '4006381333931', 0, 150).out).toBeNull();
  });

  it('too short bursts are not scans, and a pause restarts the buffer', () => {
    expect(typeAt(new WedgeDecoder(), '123', 0, 5).out).toBeNull();
    const d = new WedgeDecoder();
    d.key('9', 0);
    d.key('9', 5);
    // A long pause, then a real scan: the stray keys before the pause are not part of it.
    expect(typeAt(d, '12345678', 1000, 5).out).toBe('12345678');
  });

  it('any fast printable code round-trips', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z]{4,40}$/), fc.integer({ min: 1, max: 40 }), (code, gap) => {
        expect(typeAt(new WedgeDecoder(), code, 0, gap).out).toBe(code);
      }),
    );
  });
});

describe('recording playback WAV', () => {
  it('has a valid header and the samples, little-endian', () => {
    const wav = pcmToWav(Int16Array.from([1, -2, 32767]));
    expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16000);
    expect(wav.readUInt32LE(40)).toBe(6);
    expect([wav.readInt16LE(44), wav.readInt16LE(46), wav.readInt16LE(48)]).toEqual([1, -2, 32767]);
  });
});

describe('follow-up countdown', () => {
  it('maps the device clock onto the page clock', () => {
    // View sent at device 10 000 ms, received at page 500 ms; window ends at device 15 000.
    const sync = { deviceNow: 10_000, pageNow: 500 };
    expect(remainingFollowUpMs(15_000, sync, 500)).toBe(5000);
    expect(remainingFollowUpMs(15_000, sync, 2500)).toBe(3000);
    expect(remainingFollowUpMs(15_000, sync, 9000)).toBe(0);
  });
});
