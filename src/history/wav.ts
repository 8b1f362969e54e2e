import { encodeWav16 } from '../audio/wav.ts';

/** A 16-bit PCM WAV file (the shared encoder in src/audio/wav.ts) as a Buffer. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const wav = encodeWav16(samples, sampleRate);
  return Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
}

/** Little-endian PCM bytes, as sealed into an audio file. */
export function int16ToBytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}

export function bytesToInt16(bytes: Buffer): Int16Array {
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}
