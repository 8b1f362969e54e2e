import type { Pcm } from '../../../hal/tone-player.ts';
import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';
import { TallyError } from '../../../hal/base/errors.ts';
import type { WyomingConnection } from './connection.ts';
import type { AudioFormat } from './events.ts';
import { TtsCollector } from './tts-collector.ts';

/** Shown for an announcement, which carries no text of its own. */
export const ANNOUNCEMENT_LABEL = 'Announcement';
/** A reply counts as finished this long after its audio should have ended, even without `played`. */
export const PLAYED_GRACE_MS = 3000;

/** The request a reply belongs to, as the satellite knows it. */
export interface ReplyRequest {
  id: number;
  /** Aborted (mute, fault, button stop): its reply is not played. */
  cancelled: boolean;
  continueConversation: boolean;
}

export interface ReplyEvents {
  'response-start'(id: number): void;
  'response-audio'(id: number, pcm: Pcm): void;
  'response-end'(id: number): void;
  'follow-up-request'(): void;
  announcement(): void;
  error(code: string, id: number): void;
  /** The reply to this request has been fully received (the request is over). */
  done(id: number): void;
}

interface Collecting {
  id: number;
  collector: TtsCollector | null;
  discard: boolean;
  continueConversation: boolean;
}

interface Unplayed {
  conn: WyomingConnection;
  followUp: boolean;
  fallback: TimerHandle;
  /** > 1 when HA restarted its TTS within one reply. */
  parts: number;
  /** Clock ms when the last part should have finished playing. */
  dueAt: number;
}

/**
 * HA's spoken replies and announcements: audio-start / chunks / audio-stop are buffered
 * (HA sends faster than real time) and handed to the device whole; `played` goes back to
 * HA only once the device says it finished playing, and `response-end` with it, so the
 * device stays "speaking" while it speaks. A reply the device never reports ends anyway
 * after its length plus a grace period. Replies to aborted requests are not played, but
 * HA gets its `played` at once so it is not kept waiting.
 */
export class ReplyTracker {
  #clock: Clock;
  #on: ReplyEvents;
  #collecting: Collecting | null = null;
  #unplayed = new Map<number, Unplayed>();
  /** The request whose reply is playing: a fresh audio-start right after its audio-stop continues it. */
  #lastReplyId: number | null = null;
  #nextAnnouncementId = -1;

  constructor(clock: Clock, on: ReplyEvents) {
    this.#clock = clock;
    this.#on = on;
  }

  /** HA's `audio-start`. `request` is the open request, if any; otherwise it is an announcement. */
  start(format: AudioFormat, request: ReplyRequest | null, conn: WyomingConnection): void {
    if (this.#collecting) this.#finish(conn); // a new audio-start without audio-stop: close the previous part
    let id: number;
    let discard = false;
    if (request) {
      id = request.id;
      discard = request.cancelled;
    } else if (this.#lastReplyId !== null && this.#unplayed.has(this.#lastReplyId)) {
      id = this.#lastReplyId; // HA interrupted its TTS with audio-stop and started again (wyoming.md §6)
    } else {
      id = this.#nextAnnouncementId--;
      this.#on.announcement();
    }
    let collector: TtsCollector | null = null;
    try {
      collector = new TtsCollector({ rate: format.rate, width: format.width, channels: format.channels });
    } catch (e) {
      this.#on.error(e instanceof TallyError ? e.code : 'WYOMING_AUDIO_FORMAT', id);
    }
    this.#collecting = { id, collector, discard, continueConversation: request?.continueConversation ?? false };
    if (!discard && collector) this.#on['response-start'](id);
  }

  chunk(payload: Buffer | null): void {
    this.#collecting?.collector?.add(payload);
  }

  /** HA's `audio-stop`. */
  stop(conn: WyomingConnection): void {
    const c = this.#collecting;
    if (!c) return;
    this.#finish(conn);
    if (c.discard || !c.collector) conn.send({ type: 'played' }); // nothing will play: do not keep HA waiting
  }

  /** The device finished playing reply `id`. */
  played(id: number): void {
    const u = this.#unplayed.get(id);
    if (!u) return;
    if (--u.parts > 0) return; // more of the same reply is still to play
    this.#forget(id);
    if (!u.conn.closed) u.conn.send({ type: 'played' });
    if (u.followUp) this.#on['follow-up-request']();
    this.#on['response-end'](id);
  }

  /**
   * The device cut this reply short (barge-in): HA gets `played` now so its run ends,
   * with no follow-up and no response-end (the device is already listening again).
   */
  interrupted(id: number): void {
    const u = this.#unplayed.get(id);
    if (!u) return;
    this.#forget(id);
    if (!u.conn.closed) u.conn.send({ type: 'played' });
  }

  /** The connection went: forget everything in flight. */
  reset(): void {
    this.#collecting = null;
    for (const u of this.#unplayed.values()) this.#clock.clearTimeout(u.fallback);
    this.#unplayed.clear();
    this.#lastReplyId = null;
  }

  #forget(id: number): void {
    const u = this.#unplayed.get(id);
    if (u) this.#clock.clearTimeout(u.fallback);
    this.#unplayed.delete(id);
    if (this.#lastReplyId === id) this.#lastReplyId = null;
  }

  #finish(conn: WyomingConnection): void {
    const c = this.#collecting;
    if (!c) return;
    this.#collecting = null;
    this.#on.done(c.id);
    if (c.discard || !c.collector) return;
    const pcm = c.collector.toPcm();
    const audioMs = (pcm.samples.length / pcm.channels / pcm.sampleRate) * 1000;
    const id = c.id;
    const earlier = this.#unplayed.get(id);
    this.#clock.clearTimeout(earlier?.fallback);
    const dueAt = Math.max(this.#clock.now(), earlier?.dueAt ?? 0) + audioMs;
    const fallback = this.#clock.setTimeout(() => {
      if (!this.#unplayed.has(id)) return;
      this.#forget(id);
      this.#on['response-end'](id); // playback was cut or never reported: do not stay "speaking"
    }, dueAt - this.#clock.now() + PLAYED_GRACE_MS);
    this.#unplayed.set(id, {
      conn,
      followUp: c.continueConversation || (earlier?.followUp ?? false),
      fallback,
      parts: (earlier?.parts ?? 0) + 1,
      dueAt,
    });
    if (id >= 0) this.#lastReplyId = id;
    this.#on['response-audio'](id, pcm);
  }
}
