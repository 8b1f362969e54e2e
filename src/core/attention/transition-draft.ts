import type { Settings } from '../settings/schema.ts';
import { ACTIVITY_TIMERS, type MachineEffect, type MachineState, type TimerName } from './machine-state.ts';
import { effectiveMuted, pushToTalkActive } from './view.ts';
import type { StreamEndReason, Trigger } from './types.ts';

/** What a transition may read besides the state: time, live settings, the board's VAD. */
export interface TransitionContext {
  now: number;
  settings: Settings;
  hasEndpointDetector: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One transition's working copy: the steps every event handler shares (open / close a
 * stream, go idle, show an error), recording timer effects as they go. The input state
 * is never mutated; nested values are replaced, not edited.
 */
export class TransitionDraft {
  readonly s: Mutable<MachineState>;
  readonly effects: MachineEffect[] = [];
  readonly ctx: TransitionContext;

  constructor(state: MachineState, ctx: TransitionContext) {
    this.s = { ...state };
    this.ctx = ctx;
  }

  canOpen(): boolean {
    const s = this.s;
    // Push-to-talk: only while the button is held (the stream itself waits for mic-ready).
    return !effectiveMuted(s, this.ctx.settings) && !s.paused && !s.fault && s.online && (!this.ptt() || s.held);
  }

  ptt(): boolean {
    return pushToTalkActive(this.s, this.ctx.settings);
  }

  set(name: TimerName, ms: number): void {
    this.effects.push({ kind: 'set-timer', name, ms });
  }

  clear(name: TimerName): void {
    this.effects.push({ kind: 'clear-timer', name });
  }

  clearActivityTimers(): void {
    for (const name of ACTIVITY_TIMERS) this.clear(name);
  }

  refuse(code: string): void {
    this.effects.push({ kind: 'refused', code });
  }

  startStream(trigger: Trigger, at?: number, wakeWord?: string): void {
    const { s, ctx } = this;
    if (s.stream) this.closeStream('barge-in');
    this.clearActivityTimers();
    s.stream = { id: s.nextStreamId, trigger, triggeredAt: at ?? ctx.now, ...(wakeWord !== undefined ? { wakeWord } : {}) };
    s.nextStreamId += 1;
    s.speechHeard = false;
    s.activity = trigger === 'follow-up' ? 'follow-up' : 'listening';
    this.set('max-duration', ctx.settings.maxStreamMs);
    if (ctx.hasEndpointDetector && trigger !== 'follow-up') this.set('no-speech', ctx.settings.noSpeechTimeoutMs);
  }

  openFollowUp(): void {
    const ms = this.ctx.settings.followUpWindowMs;
    this.startStream('follow-up');
    this.s.followUpEndsAt = this.ctx.now + ms;
    this.set('follow-up', ms);
  }

  /** The request audio is complete: close the stream and wait for the answer. */
  endRequest(reason: StreamEndReason): void {
    this.closeStream(reason);
    this.clearActivityTimers();
    this.s.activity = 'thinking';
    this.set('thinking', this.ctx.settings.thinkingTimeoutMs);
  }

  closeStream(reason: StreamEndReason): void {
    const s = this.s;
    if (!s.stream) return;
    s.lastEnd = { id: s.stream.id, reason };
    s.stream = null;
    s.followUpEndsAt = null;
    this.clear('max-duration');
    this.clear('no-speech');
    this.clear('follow-up');
  }

  toIdle(): void {
    this.clearActivityTimers();
    this.s.activity = this.s.notification && !this.s.muted ? 'notification' : 'idle';
    this.s.error = null;
  }

  toError(code: string): void {
    this.clearActivityTimers();
    this.s.activity = 'error';
    this.s.error = { code };
    this.set('error', ERROR_DISPLAY_MS);
  }
}

export const ERROR_DISPLAY_MS = 2000;
export const NOTIFICATION_DISPLAY_MS = 5000;
/** After a reply ends, the service may still ask to continue the conversation this long. */
export const FOLLOW_UP_GRACE_MS = 1500;
