import { describe, it, expect } from 'vitest';
import { decodeWav, encodeWav16, downmix, floatToInt16 } from '../../hal/base/wav.ts';
import { resample } from '../../hal/base/resample.ts';

/** Builds a WAV with an arbitrary format chunk, for formats we don't write ourselves. */
function wav(format: number, bits: number, channels: number, rate: number, body: Uint8Array): Uint8Array {
  const head = new Uint8Array(44);
  const v = new DataView(head.buffer);
  head.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
  v.setUint32(4, 36 + body.length, true);
  head.set([...'WAVEfmt '].map((c) => c.charCodeAt(0)), 8);
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, (rate * channels * bits) / 8, true);
  v.setUint16(32, (channels * bits) / 8, true);
  v.setUint16(34, bits, true);
  head.set([...'data'].map((c) => c.charCodeAt(0)), 36);
  v.setUint32(40, body.length, true);
  const out = new Uint8Array(44 + body.length);
  out.set(head);
  out.set(body, 44);
  return out;
}

describe('WAV decoding', () => {
  it('round-trips 16-bit PCM exactly', () => {
    const s = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const d = decodeWav(encodeWav16(s, 16000));
    expect(d).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, encoding: 'pcm' });
    expect([...floatToInt16(d.samples)]).toEqual([...s]);
  });

  it('decodes 8-bit, 24-bit, 32-bit int and float, and downmixes stereo', () => {
    expect([...decodeWav(wav(1, 8, 1, 8000, Uint8Array.from([128, 255, 0]))).samples]).toEqual([0, 127 / 128, -1]);
    const b24 = Uint8Array.from([0x00, 0x00, 0x40, 0x00, 0x00, 0xc0]); // +0.5, −0.5
    expect([...decodeWav(wav(1, 24, 1, 48000, b24)).samples]).toEqual([0.5, -0.5]);
    const f32 = new Uint8Array(Float32Array.from([0.25, -0.75]).buffer);
    const stereo = decodeWav(wav(3, 32, 2, 44100, f32));
    expect([...downmix(stereo.samples, stereo.channels)]).toEqual([-0.25]);
    const i32 = new Uint8Array(Int32Array.from([1 << 30]).buffer);
    expect([...decodeWav(wav(1, 32, 1, 16000, i32)).samples]).toEqual([0.5]);
  });

  it('refuses what it cannot decode with a machine-readable code', () => {
    expect(() => decodeWav(new Uint8Array(10))).toThrow(expect.objectContaining({ code: 'WAV_INVALID' }));
    expect(() => decodeWav(wav(2, 4, 1, 8000, new Uint8Array(4)))).toThrow(expect.objectContaining({ code: 'WAV_UNSUPPORTED' }));
    expect(() => decodeWav(wav(1, 12, 1, 8000, new Uint8Array(4)))).toThrow(expect.objectContaining({ code: 'WAV_UNSUPPORTED' }));
  });
});

describe('resample', () => {
  it('keeps a 440 Hz tone at 440 Hz (48 kHz → 16 kHz) and keeps its amplitude', () => {
    const n = 48000;
    const x = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000));
    const y = resample(x, 48000, 16000);
    expect(y.length).toBe(16000);
    let err = 0;
    for (let i = 100; i < 15900; i++) err = Math.max(err, Math.abs(y[i]! - 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
    expect(err).toBeLessThan(0.01);
  });

  it('removes content above the new Nyquist frequency (6 kHz tone, 44.1 kHz → 8 kHz)', () => {
    const x = Float32Array.from({ length: 44100 }, (_, i) => Math.sin((2 * Math.PI * 6000 * i) / 44100));
    const y = resample(x, 44100, 8000);
    const rms = Math.sqrt(y.slice(200, -200).reduce((a, v) => a + v * v, 0) / (y.length - 400));
    expect(rms).toBeLessThan(0.02);
  });
});
