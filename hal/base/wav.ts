import { readFileSync } from 'node:fs';
import { TallyError } from './errors.ts';
import { resample } from './resample.ts';

/**
 * RIFF/WAVE decoding: integer PCM of 8/16/24/32 bits and IEEE float of 32/64 bits, any
 * rate and channel count (also WAVE_FORMAT_EXTENSIBLE). Decoders throw TallyError
 * (`WAV_INVALID`, `WAV_UNSUPPORTED`), never return partial data.
 */
export interface DecodedWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 'pcm' (integer) or 'float'. */
  encoding: 'pcm' | 'float';
  /** Interleaved samples scaled to [−1, 1]. */
  samples: Float32Array;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
export const SUPPORTED_WAV_FORMATS = ['pcm 8', 'pcm 16', 'pcm 24', 'pcm 32', 'float 32', 'float 64'] as const;

export function decodeWav(buf: Uint8Array, name = 'WAV'): DecodedWav {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (o: number) => String.fromCharCode(buf[o]!, buf[o + 1]!, buf[o + 2]!, buf[o + 3]!);
  if (buf.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new TallyError('WAV_INVALID', `${name} is not a RIFF/WAVE file`);
  }
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new TallyError('WAV_INVALID', `${name}: fmt chunk too short`);
      let format = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE && size >= 40) format = view.getUint16(body + 24, true);
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits };
    } else if (id === 'data') {
      if (!fmt) throw new TallyError('WAV_INVALID', `${name}: data chunk before fmt chunk`);
      // Streams written by tools that never seek back leave size 0 or 0xFFFFFFFF: take the rest.
      const len = size === 0 || size === 0xffffffff || body + size > buf.length ? buf.length - body : size;
      return { ...describe(fmt, name), samples: decodeSamples(view, body, len, fmt, name) };
    }
    offset = body + size + (size & 1);
  }
  throw new TallyError('WAV_INVALID', `${name}: no data chunk`);
}

function describe(fmt: { format: number; channels: number; rate: number; bits: number }, name: string) {
  if (fmt.channels < 1 || fmt.rate < 1) throw new TallyError('WAV_INVALID', `${name}: zero channels or sample rate`);
  const encoding = fmt.format === FORMAT_FLOAT ? ('float' as const) : ('pcm' as const);
  if (!SUPPORTED_WAV_FORMATS.includes(`${encoding} ${fmt.bits}` as never) || (fmt.format !== FORMAT_PCM && fmt.format !== FORMAT_FLOAT)) {
    throw new TallyError('WAV_UNSUPPORTED', `${name}: unsupported sample format (format tag ${fmt.format}, ${fmt.bits} bits)`, {
      validOptions: SUPPORTED_WAV_FORMATS,
    });
  }
  return { sampleRate: fmt.rate, channels: fmt.channels, bitsPerSample: fmt.bits, encoding };
}

function decodeSamples(
  view: DataView,
  start: number,
  len: number,
  fmt: { format: number; bits: number },
  name: string,
): Float32Array {
  const bytes = fmt.bits / 8;
  const n = Math.floor(len / bytes);
  const out = new Float32Array(n);
  for (let i = 0, o = start; i < n; i++, o += bytes) {
    if (fmt.format === FORMAT_FLOAT) out[i] = fmt.bits === 32 ? view.getFloat32(o, true) : view.getFloat64(o, true);
    else if (fmt.bits === 8) out[i] = (view.getUint8(o) - 128) / 128;
    else if (fmt.bits === 16) out[i] = view.getInt16(o, true) / 32768;
    else if (fmt.bits === 24) out[i] = ((view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16)) / 8388608);
    else if (fmt.bits === 32) out[i] = view.getInt32(o, true) / 2147483648;
    else throw new TallyError('WAV_UNSUPPORTED', `${name}: ${fmt.bits}-bit samples`);
  }
  return out;
}

/** Average the channels of interleaved samples. */
export function downmix(samples: Float32Array, channels: number): Float32Array {
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[f * channels + c]!;
    out[f] = sum / channels;
  }
  return out;
}

/** [−1, 1] floats → int16 with rounding and clipping. */
export function floatToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i]! * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/** A plain 44-byte-header 16-bit PCM WAV. */
export function encodeWav16(samples: Int16Array, sampleRate: number, channels = 1): Uint8Array {
  const buf = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(buf.buffer);
  const put = (o: number, s: string) => [...s].forEach((ch, i) => (buf[o + i] = ch.charCodeAt(0)));
  put(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i]!, true);
  return buf;
}

export function readWavFile(path: string): DecodedWav {
  let buf: Uint8Array;
  try {
    buf = readFileSync(path);
  } catch (cause) {
    throw new TallyError('WAV_NOT_FOUND', `cannot read ${path}`, { cause });
  }
  return decodeWav(buf, path);
}

/** Any supported WAV → 16 kHz mono int16, the format the microphone and speech models use. */
export function readWavAs16kMono(path: string, onConverted?: (from: { sampleRate: number; channels: number; bitsPerSample: number }) => void): Int16Array {
  const wav = readWavFile(path);
  if (onConverted && (wav.sampleRate !== 16_000 || wav.channels !== 1 || wav.bitsPerSample !== 16)) {
    onConverted({ sampleRate: wav.sampleRate, channels: wav.channels, bitsPerSample: wav.bitsPerSample });
  }
  // 16-bit mono 16 kHz passes through bit-exactly (the wake-word parity vectors depend on it).
  return floatToInt16(resample(downmix(wav.samples, wav.channels), wav.sampleRate, 16_000));
}


/** A 16-bit PCM WAV file as a Buffer (downloads, exports, playback on the screen). */
export function encodeWavBuffer(samples: Int16Array, sampleRate = 16_000): Buffer {
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
