import type { Pcm } from '../../../hal/tone-player.ts';
import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';
import { TallyError } from '../../../hal/base/errors.ts';

/**
 * Spoken replies and announcements by URL: fetched (from the paired HA only, see
 * tts-fetch.ts), handed whole to the device, and `finished(success)` — which the satellite
 * turns into VoiceAssistantAnnounceFinished — once the device says it played them, or
 * after their length plus a grace period if it never says so.
 */
export const PLAYED_GRACE_MS = 3000;

export interface ReplyEvents {
  start(id: number): void;
  audio(id: number, pcm: Pcm): void;
  end(id: number): void;
  error(code: string, id: number): void;
  /** The reply is over: `success` false when nothing was played. `followUp`: HA wants to keep listening. */
  finished(id: number, success: boolean, followUp: boolean): void;
}

export type ReplyFetcher = (url: string) => Promise<Pcm>;

interface Pending {
  followUp: boolean;
  fallback: TimerHandle | undefined;
}

export class ReplyPlayer {
  private readonly pending = new Map<number, Pending>();
  private generation = 0;

  constructor(private readonly clock: Clock, private readonly fetcher: ReplyFetcher, private readonly on: ReplyEvents) {}

  get playing(): boolean {
    return this.pending.size > 0;
  }

  /** Fetches `urls` (preannounce first), joins them and plays. */
  async play(id: number, urls: string[], followUp: boolean): Promise<void> {
    const gen = this.generation;
    this.pending.set(id, { followUp, fallback: undefined });
    let pcm: Pcm;
    try {
      pcm = join(await Promise.all(urls.map((u) => this.fetcher(u))));
    } catch (e) {
      if (gen !== this.generation || !this.pending.has(id)) return;
      this.pending.delete(id);
      this.on.error(e instanceof TallyError ? e.code : 'ESPHOME_TTS_FETCH_FAILED', id);
      this.on.finished(id, false, false);
      return;
    }
    const p = this.pending.get(id);
    if (gen !== this.generation || !p) return;
    const audioMs = (pcm.samples.length / pcm.channels / pcm.sampleRate) * 1000;
    p.fallback = this.clock.setTimeout(() => this.played(id), audioMs + PLAYED_GRACE_MS);
    this.on.start(id);
    this.on.audio(id, pcm);
  }

  /** The device finished playing `id` (or the fallback fired). */
  played(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.clock.clearTimeout(p.fallback);
    this.pending.delete(id);
    this.on.finished(id, true, p.followUp);
    this.on.end(id);
  }

  /** The owner went away: forget everything in flight (nothing is reported back). */
  reset(): void {
    this.generation++;
    for (const p of this.pending.values()) this.clock.clearTimeout(p.fallback);
    this.pending.clear();
  }
}

/** Preannounce + media as one sound; parts in another format than the first are dropped. */
function join(parts: Pcm[]): Pcm {
  const first = parts[parts.length - 1]!;
  const same = parts.filter((p) => p.sampleRate === first.sampleRate && p.channels === first.channels);
  if (same.length === 1) return same[0]!;
  const samples = new Int16Array(same.reduce((n, p) => n + p.samples.length, 0));
  let off = 0;
  for (const p of same) {
    samples.set(p.samples, off);
    off += p.samples.length;
  }
  return { sampleRate: first.sampleRate, channels: first.channels, samples };
}
