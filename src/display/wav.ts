import { encodeWav16 } from '../audio/wav.ts';

/** 16 kHz mono int16 PCM → a WAV file, for playback of a recording on the screen. */
export function pcmToWav(samples: Int16Array, sampleRate = 16_000): Buffer {
  const wav = encodeWav16(samples, sampleRate);
  return Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
}
