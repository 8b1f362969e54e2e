import type { VoiceStream } from '../../core/ports/voice-stream.ts';
import { VoiceAssistantAudioSchema, VoiceAssistantRequestSchema } from './generated/api_pb.ts';
import type { ApiSession } from './api-session.ts';

/** HA's mic format: 16 kHz, 16-bit LE, mono; 1024 samples (2048 B) per message like Voice PE. */
export const MIC_RATE = 16000;
export const MIC_CHUNK_SAMPLES = 1024;

type Phase = 'waiting' | 'streaming' | 'closed';

/**
 * One request's mic audio over the voice owner's API connection (spec §7.1). Until HA
 * answers the VoiceAssistantRequest the gate's writes (pre-roll first) wait here, bounded
 * by the stream cap; after HA's `port=0` they go out as VoiceAssistantAudio. Bound to the
 * session it opened on: if that session goes, the audio goes nowhere else.
 */
export class EsphomeMicStream implements VoiceStream {
  private phase: Phase = 'waiting';
  private pending: Int16Array[] = [];
  private samples = 0;
  private readonly maxSamples: number;
  bytesSent = 0;
  /** Clock ms of the first audio message on the socket (bench, tests). */
  firstAudioAt: number | null = null;

  constructor(
    private readonly session: ApiSession,
    readonly streamId: number,
    maxStreamMs: number,
    private readonly onCapped: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.maxSamples = Math.floor((maxStreamMs * MIC_RATE) / 1000);
  }

  get open(): boolean {
    return this.phase !== 'closed' && this.session.conn.open;
  }

  /**
   * The egress cross-check's transport count: bytes whose VoiceAssistantAudio the
   * connection accepted, plus what still waits for HA's port=0. (Counted at this class's
   * conn.send, one layer above the socket; the Wyoming count sits in the connection.)
   */
  get egress(): { bytes: number; closed: boolean; held: number } {
    return { bytes: this.bytesSent, closed: !this.open, held: this.pending.reduce((n, p) => n + p.byteLength, 0) };
  }

  get owner(): ApiSession {
    return this.session;
  }

  /** HA answered `port=0`: flush what waited and stream from now on. */
  accept(): void {
    if (this.phase !== 'waiting') return;
    this.phase = 'streaming';
    const held = this.pending;
    this.pending = [];
    for (const s of held) this.send(s);
  }

  write(samples: Int16Array): void {
    if (!this.open) return;
    const room = this.maxSamples - this.samples;
    const take = samples.length <= room ? samples : samples.subarray(0, Math.max(0, room));
    this.samples += take.length;
    if (this.phase === 'waiting') this.pending.push(take.slice());
    else this.send(take);
    if (this.samples >= this.maxSamples && this.open) {
      this.close();
      this.onCapped();
    }
  }

  /** Request audio complete (local end of speech): `end=true`, HA finishes normally. */
  end(_reason: string): void {
    if (!this.open) return;
    if (this.phase === 'streaming') this.session.conn.send(VoiceAssistantAudioSchema, { end: true });
    this.close();
  }

  /** Cancelled (mute, fault, button stop): `start=false` aborts the run; nothing more is sent. */
  abort(_reason: string): void {
    if (!this.open) return;
    this.session.conn.send(VoiceAssistantRequestSchema, { start: false });
    this.close();
  }

  /** HA stopped reading (VAD end, STT end, error) or the run ended. */
  close(): void {
    this.phase = 'closed';
    this.pending = [];
  }

  private send(samples: Int16Array): void {
    for (let off = 0; off < samples.length && this.open; off += MIC_CHUNK_SAMPLES) {
      const part = samples.subarray(off, Math.min(samples.length, off + MIC_CHUNK_SAMPLES));
      const data = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      if (this.session.conn.send(VoiceAssistantAudioSchema, { data })) {
        this.bytesSent += data.byteLength;
        this.firstAudioAt ??= this.now();
      }
    }
  }
}
