import type { VoiceStream } from '../../core/ports/voice-stream.ts';
import type { WyomingConnection } from './connection.ts';

/** Mic audio to HA is always 16 kHz / 16-bit / mono (every start/chunk says so). */
export const MIC_FORMAT = Object.freeze({ rate: 16000, width: 2, channels: 1 });
/** HA's own chunk size: 2048 bytes. */
export const MIC_CHUNK_SAMPLES = 1024;

/**
 * One request's mic audio on the paired HA's main connection. The gate's first writes
 * are the pre-roll; we send them as they come, in 2048-byte chunks with millisecond
 * timestamps from stream start (never the reference's nanoseconds). Bound to the
 * connection it opened on: if that connection goes, the audio goes nowhere else.
 * Capped at `maxSamples` as a last line of defence (the gate has its own budget).
 */
export class WyomingMicStream implements VoiceStream {
  readonly streamId: number;
  #conn: WyomingConnection;
  #open = true;
  #samples = 0;
  #maxSamples: number;
  #onCapped: () => void;
  bytesSent = 0;
  readonly #egressStart: number;

  constructor(conn: WyomingConnection, streamId: number, maxStreamMs: number, onCapped: () => void) {
    this.#conn = conn;
    this.#egressStart = conn.audioBytesWritten;
    this.streamId = streamId;
    this.#maxSamples = Math.floor((maxStreamMs * MIC_FORMAT.rate) / 1000);
    this.#onCapped = onCapped;
  }

  get open(): boolean {
    return this.#open && !this.#conn.closed;
  }

  /** Counted by the connection at its socket write, not by this class. One stream at a time per connection. */
  get egress(): { bytes: number; closed: boolean } {
    return { bytes: this.#conn.audioBytesWritten - this.#egressStart, closed: !this.open };
  }

  get connection(): WyomingConnection {
    return this.#conn;
  }

  #timestampMs(): number {
    return Math.floor((this.#samples * 1000) / MIC_FORMAT.rate);
  }

  write(samples: Int16Array): void {
    if (!this.open) return;
    let offset = 0;
    while (offset < samples.length && this.open) {
      const room = this.#maxSamples - this.#samples;
      if (room <= 0) {
        this.close(true);
        this.#onCapped();
        return;
      }
      const n = Math.min(MIC_CHUNK_SAMPLES, samples.length - offset, room);
      const part = samples.subarray(offset, offset + n);
      const payload = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
      if (this.#conn.send({ type: 'audio-chunk', ...MIC_FORMAT, timestamp: this.#timestampMs(), payload })) {
        this.bytesSent += payload.byteLength;
      }
      this.#samples += n;
      offset += n;
    }
    if (this.#samples >= this.#maxSamples && this.open) {
      this.close(true);
      this.#onCapped();
    }
  }

  /** Request audio complete (local end of speech, button release): audio-stop. */
  end(_reason: string): void {
    this.close(true);
  }

  /** Cancelled (mute, fault, button stop): audio-stop at once, nothing more is sent. */
  abort(_reason: string): void {
    this.close(true);
  }

  /** Stops sending; `audioStop` false when HA already ended speech-to-text (transcript, error). */
  close(audioStop: boolean): void {
    if (!this.#open) return;
    this.#open = false;
    if (audioStop) this.#conn.send({ type: 'audio-stop', timestamp: this.#timestampMs() });
  }
}
