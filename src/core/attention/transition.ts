import type { MachineEffect, MachineState, TimerName } from './machine-state.ts';
import { ALL_TIMERS } from './machine-state.ts';
import { FOLLOW_UP_GRACE_MS, NOTIFICATION_DISPLAY_MS, TransitionDraft, type TransitionContext } from './transition-draft.ts';
import type { AttentionEvent, ServiceSignal } from './types.ts';
import { effectiveMuted } from './view.ts';

/** Inputs of the pure transition: the public events, a timer's expiry, and shutdown. */
export type MachineInput = AttentionEvent | { type: 'timer'; name: TimerName } | { type: 'shutdown' };

export interface TransitionResult {
  state: MachineState;
  effects: MachineEffect[];
}

type Handlers = { [K in MachineInput['type']]: (d: TransitionDraft, e: Extract<MachineInput, { type: K }>) => void };

/**
 * The attention machine's transition: `(state, input) → state + effects`, pure (time and
 * settings come in the context). The machine shell runs the effects (timers, the error
 * tone) and publishes the derived view; tests may call this directly.
 */
export function transition(state: MachineState, input: MachineInput, ctx: TransitionContext): TransitionResult {
  const d = new TransitionDraft(state, ctx);
  (HANDLERS[input.type] as (d: TransitionDraft, e: MachineInput) => void)(d, input);
  return { state: d.s, effects: d.effects };
}

const HANDLERS: Handlers = {
  wake(d, e) {
    // Wake word: from idle, or barge-in while a reply is spoken. Push-to-talk: wake word off.
    if (!d.canOpen() || d.ptt()) return;
    const a = d.s.activity;
    if (a !== 'idle' && a !== 'speaking' && a !== 'notification' && a !== 'error') return;
    // Like Echo: the wake word alone stops a ringing timer or an announcement.
    if (a === 'notification') d.s.notification = null;
    d.startStream('wake', e.at, e.wakeWord);
  },
  'button-press': buttonPress,
  'button-release'(d) {
    if (!d.s.held) return;
    d.s.held = false;
    if (d.s.stream) d.endRequest('button-release');
  },
  'mic-ready'(d) {
    if (d.ptt() && d.s.held && !d.s.stream && d.canOpen()) d.startStream('button');
  },
  schedule(d, e) {
    if (e.active === d.s.scheduled) return;
    d.s.scheduled = e.active;
    closeIfMicUnpowered(d);
  },
  'settings-changed': closeIfMicUnpowered,
  'confirm-request'(d, e) {
    d.s.confirm = { what: e.what, endsAt: d.ctx.now + e.timeoutMs };
    d.set('confirm', e.timeoutMs);
  },
  'notice-dismissed'(d) {
    d.s.notice = null;
  },
  mute: (d, e) => setMuted(d, e.muted),
  'mute-toggle': (d) => setMuted(d, !d.s.muted),
  pause(d, e) {
    if (e.paused === d.s.paused) return;
    d.s.paused = e.paused;
    if (e.paused && d.s.stream) d.closeStream('paused');
    if (e.paused) d.toIdle();
  },
  service: (d, e) => serviceSignal(d, e.signal, e.code),
  'follow-up-request'(d) {
    const { s, ctx } = d;
    const justAnswered = s.activity === 'speaking' || (s.activity === 'idle' && ctx.now - s.lastResponseEndAt <= FOLLOW_UP_GRACE_MS);
    if (ctx.settings.followUp && justAnswered && d.canOpen()) d.openFollowUp();
  },
  'end-conversation'(d) {
    if (d.s.stream) d.closeStream('processed');
    d.toIdle();
  },
  'speech-start'(d) {
    if (!d.s.stream) return;
    d.s.speechHeard = true;
    d.clear('no-speech');
    if (d.s.activity === 'follow-up') {
      d.clear('follow-up');
      d.s.followUpEndsAt = null;
      d.s.activity = 'listening';
    }
  },
  'end-of-speech'(d) {
    if (d.s.stream && d.s.speechHeard) d.endRequest('end-of-speech');
  },
  'indicator-failed'(d, e) {
    if (d.s.stream) d.closeStream('indicator-failed');
    d.toError(e.code);
  },
  fault(d, e) {
    // A latched fault stays the reason shown until restart.
    if (!d.s.fault?.latched) d.s.fault = { code: e.code, message: e.message, ...(e.latched ? { latched: true } : {}) };
    if (d.s.stream) d.closeStream('fault');
    d.s.activity = 'idle';
    d.clearActivityTimers();
  },
  'fault-cleared'(d) {
    if (!d.s.fault?.latched) d.s.fault = null;
  },
  'talker-direction'(d, e) {
    d.s.talker = e.degrees;
  },
  notification: notification,
  timers(d, e) {
    d.s.serviceTimers = e.timers.map((t) => ({ ...t }));
  },
  night(d, e) {
    d.s.night = e.on;
  },
  timer: timerExpired,
  shutdown(d) {
    if (d.s.stream) d.closeStream('shutdown');
    d.s.activity = 'idle';
    for (const name of ALL_TIMERS) d.clear(name);
  },
};

function buttonPress(d: TransitionDraft): void {
  const s = d.s;
  if (s.confirm) {
    // Someone at the device confirms the dangerous voice command.
    d.effects.push({ kind: 'confirmed', what: s.confirm.what });
    s.confirm = null;
    d.clear('confirm');
    return;
  }
  if (d.ptt()) {
    if (s.muted || s.paused || s.fault || !s.online) d.refuse(s.muted ? 'MUTED' : s.fault ? 'FAULT' : s.paused ? 'PAUSED' : 'OFFLINE');
    else s.held = true; // the relay closes; the stream opens on mic-ready (sense verified)
    return;
  }
  switch (d.s.activity) {
    case 'listening':
    case 'follow-up':
      d.closeStream('button-stop');
      d.toIdle();
      return;
    case 'thinking':
    case 'speaking':
      d.toIdle();
      return;
    case 'notification':
      // Like Echo: the action button dismisses a ringing timer first.
      d.s.notification = null;
      d.toIdle();
      return;
    default: {
      const s = d.s;
      if (d.canOpen()) d.startStream('button');
      // The scheduled mute refuses as MUTED too (canOpen checks the effective mute).
      else d.refuse(effectiveMuted(s, d.ctx.settings) ? 'MUTED' : s.fault ? 'FAULT' : s.paused ? 'PAUSED' : 'OFFLINE');
    }
  }
}

function setMuted(d: TransitionDraft, muted: boolean): void {
  if (muted === d.s.muted) return;
  d.s.muted = muted;
  d.s.notice = null; // the owner has decided: the boot notice has done its job
  if (!muted) return;
  d.s.held = false;
  if (d.s.stream) d.closeStream('mute');
  d.toIdle();
}

/** The schedule started or push-to-talk came on: a stream the mic may no longer feed ends now. */
function closeIfMicUnpowered(d: TransitionDraft): void {
  const s = d.s;
  const unpowered = effectiveMuted(s, d.ctx.settings) || (d.ptt() && !s.held);
  if (!unpowered || (!s.stream && s.activity === 'idle')) return;
  const streaming = s.stream !== null;
  if (streaming) d.closeStream('mute');
  // With its stream closed nothing listens: the ring must not go on showing listening.
  if (streaming || effectiveMuted(s, d.ctx.settings)) d.toIdle();
}

function notification(d: TransitionDraft, e: Extract<MachineInput, { type: 'notification' }>): void {
  if (e.label === null) {
    d.s.notification = null;
    if (d.s.activity === 'notification') d.toIdle();
    return;
  }
  d.s.notification = { kind: e.kind, label: e.label };
  if (d.s.activity === 'idle') {
    d.s.activity = 'notification';
    d.set('notification', NOTIFICATION_DISPLAY_MS);
  }
}

function serviceSignal(d: TransitionDraft, signal: ServiceSignal, code?: string): void {
  const s = d.s;
  switch (signal) {
    case 'connected':
      s.online = true;
      return;
    case 'connection-lost':
      s.online = false;
      if (s.stream) d.closeStream('service-lost');
      d.toIdle();
      return;
    case 'processing':
      if (s.stream) d.endRequest('processed');
      return;
    case 'response-start':
      if (s.stream) d.closeStream('processed');
      if (s.activity === 'thinking' || s.activity === 'listening' || s.activity === 'follow-up') {
        d.clearActivityTimers();
        s.activity = 'speaking';
      }
      return;
    case 'response-end':
      if (s.activity !== 'speaking' && s.activity !== 'thinking') return;
      s.lastResponseEndAt = d.ctx.now;
      if (d.ctx.settings.followUp && d.canOpen()) d.openFollowUp();
      else d.toIdle();
      return;
    case 'error':
      if (s.stream) d.closeStream('service-error');
      if (s.activity !== 'idle') d.toError(code ?? 'SERVICE_ERROR');
      return;
  }
}

/** A timer the state armed has run out: what its expiry means now. */
function timerExpired(d: TransitionDraft, e: { name: TimerName }): void {
  const s = d.s;
  switch (e.name) {
    case 'max-duration':
      d.endRequest('max-duration');
      return;
    case 'no-speech':
      if (!s.stream || s.speechHeard) return;
      d.closeStream('no-speech');
      d.toIdle();
      return;
    case 'follow-up':
      if (s.activity !== 'follow-up') return;
      d.closeStream('follow-up-expired');
      d.toIdle();
      return;
    case 'thinking':
      if (s.activity === 'thinking') d.toError('SERVICE_TIMEOUT');
      return;
    case 'error':
    case 'notification':
      if (s.activity === e.name) d.toIdle();
      return;
    case 'confirm':
      if (!s.confirm) return;
      d.effects.push({ kind: 'confirm-expired', what: s.confirm.what });
      s.confirm = null;
      return;
  }
}
