import { HalError } from '../../errors.ts';
import type { Pcm } from '../../tone-player.ts';

/**
 * PCM helpers for playback: validation, volume, and a WAV decoder. Decoders throw
 * AUDIO_FORMAT on anything they cannot play; they never guess.
 */
export const MIN_RATE = 8_000;
export const MAX_RATE = 48_000;

export function assertPlayablePcm(pcm: Pcm, device: string): void {
  if (!Number.isInteger(pcm.sampleRate) || pcm.sampleRate < MIN_RATE || pcm.sampleRate > MAX_RATE) {
    throw new HalError('AUDIO_FORMAT', device, `sample rate ${pcm.sampleRate} is outside ${MIN_RATE}..${MAX_RATE} Hz`);
  }
  if (pcm.channels !== 1 && pcm.channels !== 2) {
    throw new HalError('AUDIO_FORMAT', device, `${pcm.channels} channels`, { validOptions: ['1', '2'] });
  }
  if (!(pcm.samples instanceof Int16Array) || pcm.samples.length % pcm.channels !== 0) {
    throw new HalError('AUDIO_FORMAT', device, 'samples must be interleaved Int16 with whole frames');
  }
}

/** Scales by `volume` 0..1 on a perceptual (squared) curve, into a little-endian buffer. */
export function pcmToBuffer(samples: Int16Array, volume: number): Buffer {
  const gain = volume * volume;
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(Math.round(samples[i]! * gain), i * 2);
  return out;
}

/** Decodes a RIFF/WAVE file: PCM 8/16/24/32-bit integer or 32-bit float, mono or stereo. */
export function decodeWav(buf: Buffer, device = 'wav'): Pcm {
  const fail = (why: string): never => {
    throw new HalError('AUDIO_FORMAT', device, `not a playable WAV: ${why}`);
  };
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') fail('missing RIFF/WAVE header');
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16) fail('short fmt chunk');
      let format = buf.readUInt16LE(body);
      if (format === 0xfffe && size >= 26) format = buf.readUInt16LE(body + 24); // WAVE_FORMAT_EXTENSIBLE
      fmt = { format, channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) fail('data before fmt');
      const f = fmt!;
      if (f.channels !== 1 && f.channels !== 2) fail(`${f.channels} channels`);
      const bytes = f.bits / 8;
      const end = Math.min(buf.length, body + size);
      const count = Math.floor((end - body) / bytes);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) {
        const p = body + i * bytes;
        if (f.format === 1 && f.bits === 16) samples[i] = buf.readInt16LE(p);
        else if (f.format === 1 && f.bits === 8) samples[i] = (buf[p]! - 128) << 8;
        else if (f.format === 1 && f.bits === 24) samples[i] = buf.readIntLE(p, 3) >> 8;
        else if (f.format === 1 && f.bits === 32) samples[i] = buf.readInt32LE(p) >> 16;
        else if (f.format === 3 && f.bits === 32) samples[i] = Math.max(-32768, Math.min(32767, Math.round(buf.readFloatLE(p) * 32767)));
        else fail(`format ${f.format} with ${f.bits} bits`);
      }
      const pcm: Pcm = { sampleRate: f.rate, channels: f.channels as 1 | 2, samples: count % f.channels ? samples.subarray(0, count - (count % f.channels)) : samples };
      assertPlayablePcm(pcm, device);
      return pcm;
    }
    off = body + size + (size & 1);
  }
  return fail('no data chunk');
}
