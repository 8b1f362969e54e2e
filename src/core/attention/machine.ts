import { TypedEmitter } from '../../../hal/base/typed-emitter.ts';
import type { Clock, TimerHandle } from '../../../hal/base/clock.ts';
import type { Settings } from '../settings/schema.ts';
import type { AttentionEvent, AttentionState, AttentionView, OpenStreamInfo, StreamEndReason, Trigger } from './types.ts';

/**
 * The attention state machine. Synchronous: `send` applies an event and emits at most
 * one `change` with the new view before returning, so listeners (the privacy gate first)
 * act in the same tick — a mute press aborts a stream "at once".
 *
 * Activity (idle / listening / thinking / speaking / follow-up / error) is separate from
 * the conditions that override it (fault, mute, pause, offline); the displayed state
 * is derived, so e.g. unmuting while offline shows offline, not a stale activity.
 */
type Activity = 'idle' | 'listening' | 'thinking' | 'speaking' | 'follow-up' | 'error' | 'notification';

export interface MachineEvents {
  [event: string]: unknown[];
  change: [view: AttentionView, previous: AttentionView];
  /** An input that was refused (e.g. button while muted): the device plays the error tone. */
  refused: [code: string];
}

export const ERROR_DISPLAY_MS = 2000;
export const NOTIFICATION_DISPLAY_MS = 5000;
/** After a reply ends, the service may still ask to continue the conversation this long. */
export const FOLLOW_UP_GRACE_MS = 1500;

export interface MachineOptions {
  clock: Clock;
  settings: () => Settings;
  muted: boolean;
  softwareMute: boolean;
  online?: boolean;
  /** With a local VAD, listening also ends after `noSpeechTimeoutMs` without speech. */
  hasEndpointDetector?: boolean;
}

export class AttentionMachine extends TypedEmitter<MachineEvents> {
  readonly #clock: Clock;
  readonly #settings: () => Settings;
  readonly #softwareMute: boolean;
  readonly #hasEndpoint: boolean;
  #activity: Activity = 'idle';
  #muted: boolean;
  #paused = false;
  #online: boolean;
  #fault: AttentionView['fault'] = null;
  #stream: OpenStreamInfo | null = null;
  #lastEnd: AttentionView['lastStreamEnd'] = null;
  #followUpEndsAt: number | null = null;
  #speechHeard = false;
  #lastResponseEndAt = -Infinity;
  #notification: AttentionView['notification'] = null;
  #talker: number | null = null;
  #night = false;
  #serviceTimers: AttentionView['timers'] = [];
  #error: AttentionView['error'] = null;
  #nextStreamId = 1;
  #version = 0;
  #view: AttentionView;
  #timers = new Map<string, TimerHandle>();

  constructor(opts: MachineOptions) {
    super();
    this.#clock = opts.clock;
    this.#settings = opts.settings;
    this.#muted = opts.muted;
    this.#softwareMute = opts.softwareMute;
    this.#online = opts.online ?? false;
    this.#hasEndpoint = opts.hasEndpointDetector ?? false;
    this.#night = opts.settings().nightMode;
    this.#view = this.#buildView();
  }

  get view(): AttentionView {
    return this.#view;
  }

  send(event: AttentionEvent): void {
    this.#apply(event);
    this.#publish();
  }

  /** Stops all timers (shutdown). Closes an open stream. */
  dispose(): void {
    if (this.#stream) this.#closeStream('shutdown');
    this.#activity = 'idle';
    for (const t of this.#timers.values()) this.#clock.clearTimeout(t);
    this.#timers.clear();
    this.#publish();
  }

  // ---- transitions -------------------------------------------------------------------

  #canOpen(): boolean {
    return !this.#muted && !this.#paused && !this.#fault && this.#online;
  }

  #apply(e: AttentionEvent): void {
    switch (e.type) {
      case 'wake':
        // Wake word: from idle, or barge-in while a reply is spoken.
        if (!this.#canOpen()) return;
        if (this.#activity === 'idle' || this.#activity === 'speaking' || this.#activity === 'notification' || this.#activity === 'error') {
          // Like Echo: the wake word alone stops a ringing timer or an announcement.
          if (this.#activity === 'notification') this.#notification = null;
          this.#openStream('wake', e.at, e.wakeWord);
        }
        return;
      case 'button-press':
        switch (this.#activity) {
          case 'listening':
          case 'follow-up':
            this.#closeStream('button-stop');
            this.#toIdle();
            return;
          case 'thinking':
          case 'speaking':
            this.#toIdle();
            return;
          case 'notification':
            // Like Echo: the action button dismisses a ringing timer first.
            this.#notification = null;
            this.#toIdle();
            return;
          default:
            if (this.#canOpen()) this.#openStream('button');
            else this.emit('refused', this.#muted ? 'MUTED' : this.#fault ? 'FAULT' : this.#paused ? 'PAUSED' : 'OFFLINE');
            return;
        }
      case 'mute':
        this.#setMuted(e.muted);
        return;
      case 'mute-toggle':
        this.#setMuted(!this.#muted);
        return;
      case 'pause':
        if (e.paused === this.#paused) return;
        this.#paused = e.paused;
        if (e.paused && this.#stream) this.#closeStream('paused');
        if (e.paused) this.#toIdle();
        return;
      case 'service':
        this.#serviceSignal(e.signal, e.code);
        return;
      case 'follow-up-request': {
        const justAnswered = this.#activity === 'speaking' || (this.#activity === 'idle' && this.#clock.now() - this.#lastResponseEndAt <= FOLLOW_UP_GRACE_MS);
        if (this.#settings().followUp && justAnswered && this.#canOpen()) this.#openFollowUp();
        return;
      }
      case 'end-conversation':
        if (this.#stream) this.#closeStream('processed');
        this.#toIdle();
        return;
      case 'speech-start':
        if (!this.#stream) return;
        this.#speechHeard = true;
        this.#clear('no-speech');
        if (this.#activity === 'follow-up') {
          this.#clear('follow-up');
          this.#followUpEndsAt = null;
          this.#activity = 'listening';
        }
        return;
      case 'end-of-speech':
        if (this.#stream && this.#speechHeard) this.#endRequest('end-of-speech');
        return;
      case 'indicator-failed':
        if (this.#stream) this.#closeStream('indicator-failed');
        this.#toError(e.code);
        return;
      case 'fault':
        this.#fault = { code: e.code, message: e.message };
        if (this.#stream) this.#closeStream('fault');
        this.#activity = 'idle';
        this.#clearActivityTimers();
        return;
      case 'fault-cleared':
        this.#fault = null;
        return;
      case 'talker-direction':
        this.#talker = e.degrees;
        return;
      case 'notification':
        if (e.label === null) {
          this.#notification = null;
          if (this.#activity === 'notification') this.#toIdle();
          return;
        }
        this.#notification = { kind: e.kind, label: e.label };
        if (this.#activity === 'idle') {
          this.#activity = 'notification';
          this.#set('notification', NOTIFICATION_DISPLAY_MS, () => {
            if (this.#activity === 'notification') this.#toIdle();
          });
        }
        return;
      case 'timers':
        this.#serviceTimers = e.timers.map((t) => ({ ...t }));
        return;
      case 'night':
        this.#night = e.on;
        return;
    }
  }

  #serviceSignal(signal: string, code?: string): void {
    switch (signal) {
      case 'connected':
        this.#online = true;
        return;
      case 'connection-lost':
        this.#online = false;
        if (this.#stream) this.#closeStream('service-lost');
        this.#toIdle();
        return;
      case 'processing':
        if (this.#stream) this.#endRequest('processed');
        return;
      case 'response-start':
        if (this.#stream) this.#closeStream('processed');
        if (this.#activity === 'thinking' || this.#activity === 'listening' || this.#activity === 'follow-up') {
          this.#clearActivityTimers();
          this.#activity = 'speaking';
        }
        return;
      case 'response-end':
        if (this.#activity !== 'speaking' && this.#activity !== 'thinking') return;
        this.#lastResponseEndAt = this.#clock.now();
        if (this.#settings().followUp && this.#canOpen()) this.#openFollowUp();
        else this.#toIdle();
        return;
      case 'error':
        if (this.#stream) this.#closeStream('service-error');
        if (this.#activity !== 'idle') this.#toError(code ?? 'SERVICE_ERROR');
        return;
    }
  }

  #setMuted(muted: boolean): void {
    if (muted === this.#muted) return;
    this.#muted = muted;
    if (muted) {
      if (this.#stream) this.#closeStream('mute');
      this.#toIdle();
    }
  }

  #openStream(trigger: Trigger, at?: number, wakeWord?: string): void {
    if (this.#stream) this.#closeStream('barge-in');
    this.#clearActivityTimers();
    const s = this.#settings();
    this.#stream = {
      id: this.#nextStreamId++,
      trigger,
      triggeredAt: at ?? this.#clock.now(),
      ...(wakeWord !== undefined ? { wakeWord } : {}),
    };
    this.#speechHeard = false;
    this.#activity = trigger === 'follow-up' ? 'follow-up' : 'listening';
    this.#set('max-duration', s.maxStreamMs, () => this.#endRequest('max-duration'));
    if (this.#hasEndpoint && trigger !== 'follow-up') {
      this.#set('no-speech', s.noSpeechTimeoutMs, () => {
        if (!this.#stream || this.#speechHeard) return;
        this.#closeStream('no-speech');
        this.#toIdle();
      });
    }
  }

  #openFollowUp(): void {
    const ms = this.#settings().followUpWindowMs;
    this.#openStream('follow-up');
    this.#followUpEndsAt = this.#clock.now() + ms;
    this.#set('follow-up', ms, () => {
      if (this.#activity !== 'follow-up') return;
      this.#closeStream('follow-up-expired');
      this.#toIdle();
    });
  }

  /** The request audio is complete: close the stream and wait for the answer. */
  #endRequest(reason: StreamEndReason): void {
    this.#closeStream(reason);
    this.#clearActivityTimers();
    this.#activity = 'thinking';
    this.#set('thinking', this.#settings().thinkingTimeoutMs, () => {
      if (this.#activity === 'thinking') this.#toError('SERVICE_TIMEOUT');
      this.#publish();
    });
  }

  #closeStream(reason: StreamEndReason): void {
    if (!this.#stream) return;
    this.#lastEnd = { id: this.#stream.id, reason };
    this.#stream = null;
    this.#followUpEndsAt = null;
    this.#clear('max-duration');
    this.#clear('no-speech');
    this.#clear('follow-up');
  }

  #toIdle(): void {
    this.#clearActivityTimers();
    this.#activity = this.#notification && !this.#muted ? 'notification' : 'idle';
    this.#error = null;
  }

  #toError(code: string): void {
    this.#clearActivityTimers();
    this.#activity = 'error';
    this.#error = { code };
    this.#set('error', ERROR_DISPLAY_MS, () => {
      if (this.#activity === 'error') this.#toIdle();
    });
  }

  #clearActivityTimers(): void {
    for (const name of ['thinking', 'error', 'notification', 'follow-up']) this.#clear(name);
  }

  #set(name: string, ms: number, fn: () => void): void {
    this.#clear(name);
    this.#timers.set(
      name,
      this.#clock.setTimeout(() => {
        this.#timers.delete(name);
        fn();
        this.#publish();
      }, ms),
    );
  }

  #clear(name: string): void {
    const t = this.#timers.get(name);
    if (t) this.#clock.clearTimeout(t);
    this.#timers.delete(name);
  }

  // ---- view --------------------------------------------------------------------------

  #displayState(): AttentionState {
    if (this.#fault) return 'fault';
    if (this.#muted) return 'muted';
    if (this.#activity !== 'idle') return this.#activity;
    if (!this.#online) return 'offline';
    return 'idle';
  }

  #buildView(): AttentionView {
    return {
      version: this.#version,
      state: this.#displayState(),
      stream: this.#stream ? { ...this.#stream } : null,
      lastStreamEnd: this.#lastEnd ? { ...this.#lastEnd } : null,
      muted: this.#muted,
      softwareMute: this.#softwareMute,
      paused: this.#paused,
      online: this.#online,
      fault: this.#fault ? { ...this.#fault } : null,
      followUpEndsAt: this.#followUpEndsAt,
      followUpMs: this.#followUpEndsAt !== null ? this.#settings().followUpWindowMs : null,
      talkerDirection: this.#talker,
      notification: this.#notification ? { ...this.#notification } : null,
      timers: this.#serviceTimers.map((t) => ({ ...t })),
      night: this.#night,
      error: this.#error ? { ...this.#error } : null,
    };
  }

  #publish(): void {
    const next = this.#buildView();
    const prev = this.#view;
    const { version: _a, ...a } = prev;
    const { version: _b, ...b } = next;
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    next.version = ++this.#version;
    this.#view = next;
    this.emit('change', next, prev);
  }
}
