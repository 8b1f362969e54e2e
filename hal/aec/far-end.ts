import type { Sound } from '../tone-player.ts';
import { synthesizeTone } from '../drivers/audio/tone-synth.ts';
import { resample } from '../base/resample.ts';

export const FAR_END_RATE = 16_000;

/**
 * What the loudspeaker is driven with for `sound` at `volume`, as the echo canceller's
 * reference: 16 kHz mono int16 with the same squared volume curve as pcmToBuffer.
 */
export function farEndOf(sound: Sound, volume: number): Int16Array {
  const pcm = typeof sound === 'string' ? synthesizeTone(sound) : sound;
  const frames = pcm.samples.length / pcm.channels;
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let acc = 0;
    for (let c = 0; c < pcm.channels; c++) acc += pcm.samples[i * pcm.channels + c]!;
    mono[i] = acc / pcm.channels;
  }
  const at16k = resample(mono, pcm.sampleRate, FAR_END_RATE);
  const gain = volume * volume;
  const out = new Int16Array(at16k.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(at16k[i]! * gain)));
  return out;
}
