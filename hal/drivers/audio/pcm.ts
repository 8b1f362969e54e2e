import { HalError } from '../../errors.ts';
import type { Pcm } from '../../tone-player.ts';
import { decodeWav, downmix, floatToInt16 } from '../../base/wav.ts';
import { resample } from '../../base/resample.ts';

/**
 * PCM helpers for playback: validation, volume, and WAV → playable PCM. They throw
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

/**
 * A WAV file (any format hal/base/wav.ts decodes) as playable PCM: more than two channels
 * are mixed down to mono, a rate outside 8–48 kHz is resampled to 48 kHz (or 8 kHz).
 * Anything undecodable is AUDIO_FORMAT, with the decoder's error as the cause.
 */
export function wavToPcm(buf: Uint8Array, device = 'wav'): Pcm {
  let wav;
  try {
    wav = decodeWav(buf, device);
  } catch (cause) {
    throw new HalError('AUDIO_FORMAT', device, `not a playable WAV: ${(cause as Error).message}`, { cause });
  }
  let samples = wav.samples;
  let channels = wav.channels;
  if (channels > 2) {
    samples = downmix(samples, channels);
    channels = 1;
  }
  let rate = wav.sampleRate;
  if (rate < MIN_RATE || rate > MAX_RATE) {
    const target = rate < MIN_RATE ? MIN_RATE : MAX_RATE;
    samples = channels === 1 ? resample(samples, rate, target) : interleave(resample(channel(samples, 0), rate, target), resample(channel(samples, 1), rate, target));
    rate = target;
  }
  const pcm: Pcm = { sampleRate: rate, channels: channels as 1 | 2, samples: floatToInt16(samples.length % channels ? samples.subarray(0, samples.length - 1) : samples) };
  assertPlayablePcm(pcm, device);
  return pcm;
}

function channel(samples: Float32Array, c: number): Float32Array {
  const out = new Float32Array(samples.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = samples[i * 2 + c]!;
  return out;
}

function interleave(l: Float32Array, r: Float32Array): Float32Array {
  const out = new Float32Array(Math.min(l.length, r.length) * 2);
  for (let i = 0; i < out.length >> 1; i++) {
    out[i * 2] = l[i]!;
    out[i * 2 + 1] = r[i]!;
  }
  return out;
}
