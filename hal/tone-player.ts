import type { Emitter } from './base/typed-emitter.ts';
import type { HalError } from './errors.ts';

/**
 * TonePlayer — the speaker: named feedback tones and PCM/WAV playback (spoken replies).
 *
 * - `play(sound)` resolves when the sound has finished playing (`completed: true`) or
 *   was cut short by `stop()` (`completed: false`). It rejects with `DEVICE_WRITE_FAILED`
 *   when the output device fails and `AUDIO_FORMAT` for PCM it cannot play.
 *   Sounds are played one at a time in call order.
 * - `stop()` cuts the current sound and drops queued ones (each resolves `completed: false`).
 * - Playing never touches the microphone: capture continues while a tone plays
 *   (invariant 6). `playing` / `start` / `end` let the wake word guard against self-wake.
 * - Far-end reference (for echo cancellation): `far-end` hands over the exact audio the
 *   player sends to the speaker, as 16 kHz mono int16 with the volume applied, with the
 *   clock time (ms) its first sample is written to the output; `far-end-cut` says that
 *   nothing from that time on will play (stop). A board's fixed output latency is not
 *   included: the echo canceller's aligner adds it (boards/*: `aec.delayMs`).
 * - `setVolume(v)` 0..1, applies from the next sound.
 * - `close()` stops playback and releases the device; idempotent.
 */
export type ToneName = 'start' | 'end' | 'mute-on' | 'mute-off' | 'error' | 'chime';
export const TONE_NAMES: readonly ToneName[] = ['start', 'end', 'mute-on', 'mute-off', 'error', 'chime'];

export interface Pcm {
  sampleRate: number;
  channels: 1 | 2;
  /** Interleaved signed 16-bit samples. */
  samples: Int16Array;
}

export type Sound = ToneName | Pcm;

/** A slice of what the speaker plays, for the echo canceller. */
export interface FarEndChunk {
  /** 16 kHz mono int16, volume applied: what the loudspeaker is driven with. */
  samples: Int16Array;
  /** Clock ms at which the first sample is written to the output device. */
  atMs: number;
}

export interface PlaybackResult {
  completed: boolean;
}

export interface TonePlayerEvents {
  [event: string]: unknown[];
  start: [sound: Sound];
  end: [sound: Sound, completed: boolean];
  error: [error: HalError];
  'far-end': [chunk: FarEndChunk];
  'far-end-cut': [atMs: number];
}

export interface TonePlayer extends Emitter<TonePlayerEvents> {
  readonly playing: boolean;
  readonly volume: number;
  play(sound: Sound): Promise<PlaybackResult>;
  stop(): void;
  setVolume(volume: number): void;
  close(): Promise<void>;
}
