import type { Pcm } from '../../../hal/tone-player.ts';
import { TallyError } from '../../../hal/base/errors.ts';

/**
 * Buffers one spoken reply (or announcement). HA sends TTS faster than real time in
 * 2048-byte chunks; we collect it and hand the whole Pcm to the tone player at
 * `audio-stop`. Bounded: past `maxSeconds` of audio the rest is dropped (and counted).
 */
export class TtsCollector {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  #parts: Buffer[] = [];
  #bytes = 0;
  #maxBytes: number;
  droppedBytes = 0;

  constructor(format: { rate: unknown; width: unknown; channels: unknown }, maxSeconds = 120) {
    const { rate, width, channels } = format;
    if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 4000 || rate > 192_000) {
      throw new TallyError('WYOMING_AUDIO_FORMAT', `unsupported TTS rate ${String(rate)}`);
    }
    if (width !== 2) throw new TallyError('WYOMING_AUDIO_FORMAT', `unsupported TTS width ${String(width)}`, { validOptions: ['2'] });
    if (channels !== 1 && channels !== 2) {
      throw new TallyError('WYOMING_AUDIO_FORMAT', `unsupported TTS channels ${String(channels)}`, { validOptions: ['1', '2'] });
    }
    this.sampleRate = rate;
    this.channels = channels;
    this.#maxBytes = rate * 2 * channels * maxSeconds;
  }

  add(payload: Buffer | null): void {
    if (!payload) return;
    const room = this.#maxBytes - this.#bytes;
    const take = Math.min(room, payload.byteLength);
    if (take < payload.byteLength) this.droppedBytes += payload.byteLength - take;
    if (take <= 0) return;
    this.#parts.push(Buffer.from(payload.subarray(0, take)));
    this.#bytes += take;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The reply as interleaved int16 (an odd trailing byte is dropped). */
  toPcm(): Pcm {
    const all = Buffer.concat(this.#parts, this.#bytes);
    const frameBytes = 2 * this.channels;
    const usable = all.byteLength - (all.byteLength % frameBytes);
    const samples = new Int16Array(usable / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = all.readInt16LE(i * 2);
    return { sampleRate: this.sampleRate, channels: this.channels, samples };
  }
}
