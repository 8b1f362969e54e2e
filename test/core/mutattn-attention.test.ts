import { describe, expect, it } from 'vitest';
import { AttentionMachine, ERROR_DISPLAY_MS, FOLLOW_UP_GRACE_MS, NOTIFICATION_DISPLAY_MS, type MachineOptions } from '../../src/core/attention/machine.ts';
import type { AttentionEvent, AttentionView } from '../../src/core/attention/types.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import { defaultSettings, type Settings } from '../../src/core/settings/schema.ts';

// The attention machine as the owner meets it: what the ring / screen are told (the view),
// when a stream opens and why it closed, which refusal tone plays, and how long each
// state lasts on the injected clock.

function rig(over: Partial<Settings> = {}, opts: Partial<Omit<MachineOptions, 'clock' | 'settings'>> & { endpoint?: boolean } = {}) {
  const clock = new ManualClock();
  const settings: Settings = { ...defaultSettings(), ...over };
  const { endpoint, ...rest } = opts;
  const m = new AttentionMachine({ clock, settings: () => settings, muted: false, softwareMute: false, online: true, hasEndpointDetector: endpoint ?? false, ...rest });
  const refused: string[] = [];
  const confirmed: string[] = [];
  const expired: string[] = [];
  const changes: AttentionView[] = [];
  m.on('refused', (c) => refused.push(c));
  m.on('confirmed', (w) => confirmed.push(w));
  m.on('confirm-expired', (w) => expired.push(w));
  m.on('change', (v) => changes.push(v));
  const send = (...events: AttentionEvent[]) => {
    for (const e of events) m.send(e);
  };
  return { m, clock, settings, refused, confirmed, expired, changes, send };
}

const WAKE: AttentionEvent = { type: 'wake', wakeWord: 'alexa' };
const PROCESSING: AttentionEvent = { type: 'service', signal: 'processing' };
const REPLY_START: AttentionEvent = { type: 'service', signal: 'response-start' };
const REPLY_END: AttentionEvent = { type: 'service', signal: 'response-end' };

describe('attention machine: the view at boot', () => {
  it('starts from the options: offline unless told online, software mute, night, schedule, notice', () => {
    const clock = new ManualClock();
    const settings = { ...defaultSettings(), nightMode: true };
    const m = new AttentionMachine({ clock, settings: () => settings, muted: false, softwareMute: true });
    expect(m.view).toMatchObject({ version: 0, state: 'offline', online: false, softwareMute: true, night: true, muted: false, scheduledMute: false, notice: null, stream: null, lastStreamEnd: null, error: null, fault: null, confirm: null, timers: [], followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, paused: false, pushToTalk: false, micPowered: true, ownerMuted: false });
    const sched = new AttentionMachine({ clock, settings: () => defaultSettings(), muted: false, softwareMute: false, online: true, scheduled: true, notice: { code: 'MUTE_STATE_CORRUPT' } });
    expect(sched.view).toMatchObject({ state: 'muted', muted: true, ownerMuted: false, scheduledMute: true, micPowered: false, night: false, notice: { code: 'MUTE_STATE_CORRUPT' } });
    const muted = new AttentionMachine({ clock, settings: () => defaultSettings(), muted: true, softwareMute: false, online: true });
    expect(muted.view).toMatchObject({ state: 'muted', muted: true, ownerMuted: true, micPowered: false });
  });

  it('the boot notice stays until dismissed or the owner decides the mute', () => {
    const a = rig({}, { muted: true, notice: { code: 'MUTE_STATE_CORRUPT' } });
    a.send({ type: 'notice-dismissed' });
    expect(a.m.view.notice).toBeNull();
    expect(a.m.view.muted).toBe(true);
    const b = rig({}, { muted: true, notice: { code: 'MUTE_STATE_CORRUPT' } });
    b.send({ type: 'mute', muted: true });
    expect(b.m.view.notice).toEqual({ code: 'MUTE_STATE_CORRUPT' });
    b.send({ type: 'mute', muted: false });
    expect(b.m.view).toMatchObject({ notice: null, muted: false, state: 'idle' });
  });
});

describe('attention machine: the wake word', () => {
  it('records when it was heard (the pre-roll ends there) and which word; a button stream has no wake word', () => {
    const { m, clock, send } = rig();
    clock.advance(1000);
    send({ type: 'wake', wakeWord: 'hey tally', at: 400 });
    expect(m.view.stream).toStrictEqual({ id: 1, trigger: 'wake', triggeredAt: 400, wakeWord: 'hey tally' });
    send({ type: 'button-press' });
    clock.advance(500);
    send({ type: 'button-press' });
    expect(m.view.stream).toStrictEqual({ id: 2, trigger: 'button', triggeredAt: 1500 });
    send({ type: 'button-press' });
    send({ type: 'wake', wakeWord: 'alexa' });
    expect(m.view.stream).toStrictEqual({ id: 3, trigger: 'wake', triggeredAt: 1500, wakeWord: 'alexa' });
  });

  it('is ignored while listening, thinking or in a follow-up; barges in while speaking', () => {
    const { m, send } = rig({ followUp: true });
    send(WAKE, WAKE);
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 1 }, lastStreamEnd: null });
    send(PROCESSING, WAKE);
    expect(m.view).toMatchObject({ state: 'thinking', stream: null, lastStreamEnd: { id: 1, reason: 'processed' } });
    send(REPLY_START, WAKE);
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 2, trigger: 'wake' } });
    send(PROCESSING, REPLY_START, REPLY_END);
    expect(m.view).toMatchObject({ state: 'follow-up', stream: { id: 3, trigger: 'follow-up' } });
    send(WAKE);
    expect(m.view).toMatchObject({ state: 'follow-up', stream: { id: 3, trigger: 'follow-up' } });
  });

  it('after an error it opens again; during a ringing timer it stops the timer and listens', () => {
    const { m, send } = rig();
    send(WAKE, { type: 'service', signal: 'error', code: 'STT_FAILED' });
    expect(m.view).toMatchObject({ state: 'error', error: { code: 'STT_FAILED' }, lastStreamEnd: { reason: 'service-error' } });
    send(WAKE);
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 2 } });
    send({ type: 'button-press' }, { type: 'notification', kind: 'timer', label: 'Tea' });
    expect(m.view).toMatchObject({ state: 'notification', notification: { kind: 'timer', label: 'Tea' } });
    send(WAKE);
    expect(m.view).toMatchObject({ state: 'listening', notification: null, stream: { id: 3 } });
    send({ type: 'button-press' });
    expect(m.view.state).toBe('idle');
  });

  it('does nothing with push-to-talk on, while paused, offline or in a fault', () => {
    const ptt = rig({ pushToTalk: true });
    ptt.send(WAKE);
    expect(ptt.m.view).toMatchObject({ state: 'idle', stream: null, pushToTalk: true, micPowered: false });
    const paused = rig();
    paused.send({ type: 'pause', paused: true }, WAKE);
    expect(paused.m.view).toMatchObject({ state: 'idle', paused: true, stream: null });
    const offline = rig({}, { online: false });
    offline.send(WAKE);
    expect(offline.m.view).toMatchObject({ state: 'offline', stream: null });
    expect([ptt.refused, paused.refused, offline.refused]).toEqual([[], [], []]);
  });
});

describe('attention machine: the action button', () => {
  it('refuses with the reason that applies, fault before paused before offline', () => {
    const a = rig({}, { online: false });
    a.send({ type: 'button-press' });
    a.send({ type: 'pause', paused: true }, { type: 'button-press' });
    a.send({ type: 'fault', code: 'RELAY_SENSE_MISMATCH', message: 'x' }, { type: 'button-press' });
    a.send({ type: 'mute', muted: true }, { type: 'button-press' });
    expect(a.refused).toEqual(['OFFLINE', 'PAUSED', 'FAULT', 'MUTED']);
    expect(a.m.view.stream).toBeNull();
  });

  it('in push-to-talk refuses with the same reasons, and a hold opens the stream only when the mic is ready', () => {
    const a = rig({ pushToTalk: true }, { online: false });
    a.send({ type: 'button-press' });
    a.send({ type: 'pause', paused: true }, { type: 'button-press' });
    a.send({ type: 'fault', code: 'F', message: 'x' }, { type: 'button-press' });
    a.send({ type: 'mute', muted: true }, { type: 'button-press' });
    expect(a.refused).toEqual(['OFFLINE', 'PAUSED', 'FAULT', 'MUTED']);
    expect(a.m.view.micPowered).toBe(false);

    const b = rig({ pushToTalk: true });
    b.send({ type: 'mic-ready' });
    expect(b.m.view.stream).toBeNull();
    b.send({ type: 'button-press' });
    expect(b.m.view).toMatchObject({ state: 'idle', micPowered: true, stream: null });
    b.send({ type: 'mic-ready' });
    expect(b.m.view).toMatchObject({ state: 'listening', stream: { id: 1, trigger: 'button' } });
    b.send({ type: 'mic-ready' });
    expect(b.m.view.stream).toMatchObject({ id: 1 });
    b.send({ type: 'button-release' });
    expect(b.m.view).toMatchObject({ state: 'thinking', micPowered: false, stream: null, lastStreamEnd: { id: 1, reason: 'button-release' } });
    b.send({ type: 'button-release' });
    expect(b.m.view.state).toBe('thinking');
    expect(b.refused).toEqual([]);
  });

  it('a released hold before the mic was ready opens nothing and thinks about nothing', () => {
    const { m, send } = rig({ pushToTalk: true });
    send({ type: 'button-press' }, { type: 'button-release' });
    expect(m.view).toMatchObject({ state: 'idle', micPowered: false, lastStreamEnd: null });
    send({ type: 'mic-ready' });
    expect(m.view.stream).toBeNull();
  });

  it('a mic-ready with the button held but the device muted meanwhile opens nothing', () => {
    const { m, send } = rig({ pushToTalk: true });
    send({ type: 'button-press' }, { type: 'fault', code: 'F', message: 'x' }, { type: 'mic-ready' });
    expect(m.view.stream).toBeNull();
  });

  it('while listening it stops the request; while thinking or speaking it stops the answer; a ringing timer is dismissed', () => {
    const { m, send, clock } = rig();
    send({ type: 'button-press' }, PROCESSING);
    expect(m.view.state).toBe('thinking');
    send({ type: 'button-press' });
    expect(m.view).toMatchObject({ state: 'idle', lastStreamEnd: { id: 1, reason: 'processed' } });
    // the thinking timeout no longer fires
    clock.advance(60_000);
    expect(m.view).toMatchObject({ state: 'idle', error: null });
    send({ type: 'notification', kind: 'timer', label: 'Eggs' });
    send({ type: 'button-press' });
    expect(m.view).toMatchObject({ state: 'idle', notification: null, stream: null });
  });

  it('confirms a pending dangerous command instead of opening a stream, once', () => {
    const { m, send, confirmed, expired, clock } = rig();
    clock.advance(100);
    send({ type: 'confirm-request', what: 'all', timeoutMs: 8000 });
    expect(m.view.confirm).toEqual({ what: 'all', endsAt: 8100 });
    send({ type: 'button-press' });
    expect(confirmed).toEqual(['all']);
    expect(m.view).toMatchObject({ confirm: null, stream: null, state: 'idle' });
    clock.advance(10_000);
    expect(expired).toEqual([]);
    send({ type: 'button-press' });
    expect(confirmed).toEqual(['all']);
    expect(m.view.stream).toMatchObject({ trigger: 'button' });
  });

  it('an unconfirmed command expires at its deadline, not before, and says which', () => {
    const { m, send, confirmed, expired, clock } = rig();
    send({ type: 'confirm-request', what: 'today', timeoutMs: 8000 });
    clock.advance(7999);
    expect(m.view.confirm).toMatchObject({ what: 'today' });
    clock.advance(1);
    expect(expired).toEqual(['today']);
    expect(m.view.confirm).toBeNull();
    send({ type: 'button-press' });
    expect(confirmed).toEqual([]);
    expect(m.view.state).toBe('listening');
  });

  it('a repeated confirm request restarts the wait', () => {
    const { m, send, expired, clock } = rig();
    send({ type: 'confirm-request', what: 'today', timeoutMs: 8000 });
    clock.advance(5000);
    send({ type: 'confirm-request', what: 'all', timeoutMs: 8000 });
    clock.advance(5000);
    expect(expired).toEqual([]);
    expect(m.view.confirm).toEqual({ what: 'all', endsAt: 13_000 });
    clock.advance(3000);
    expect(expired).toEqual(['all']);
  });
});

describe('attention machine: timings on the clock', () => {
  it('an error shows for ERROR_DISPLAY_MS, then idle', () => {
    const { m, send, clock } = rig();
    send({ type: 'button-press' }, { type: 'indicator-failed', code: 'LED_FAILED' });
    expect(m.view).toMatchObject({ state: 'error', error: { code: 'LED_FAILED' }, stream: null, lastStreamEnd: { reason: 'indicator-failed' } });
    clock.advance(ERROR_DISPLAY_MS - 1);
    expect(m.view.state).toBe('error');
    clock.advance(1);
    expect(m.view).toMatchObject({ state: 'idle', error: null });
    expect(ERROR_DISPLAY_MS).toBe(2000);
  });

  it('a notification shows for NOTIFICATION_DISPLAY_MS; cleared early it goes too', () => {
    const { m, send, clock } = rig();
    send({ type: 'notification', kind: 'announcement', label: 'Dinner' });
    expect(m.view).toMatchObject({ state: 'notification', notification: { kind: 'announcement', label: 'Dinner' } });
    clock.advance(NOTIFICATION_DISPLAY_MS - 1);
    expect(m.view.state).toBe('notification');
    clock.advance(1);
    // The notification itself is still pending; the idle ring shows it again (toIdle)...
    expect(m.view.notification).toEqual({ kind: 'announcement', label: 'Dinner' });
    send({ type: 'notification', kind: 'announcement', label: null });
    expect(m.view).toMatchObject({ state: 'idle', notification: null });
    expect(NOTIFICATION_DISPLAY_MS).toBe(5000);
  });

  it('a notification during a request waits; the request ends in the notification; muted it stays hidden', () => {
    const { m, send } = rig();
    send(WAKE, { type: 'notification', kind: 'timer', label: 'Tea' });
    expect(m.view).toMatchObject({ state: 'listening', notification: { label: 'Tea' } });
    send({ type: 'button-press' });
    expect(m.view.state).toBe('notification');
    send({ type: 'mute', muted: true });
    expect(m.view.state).toBe('muted');
    send({ type: 'notification', kind: 'timer', label: null });
    expect(m.view).toMatchObject({ state: 'muted', notification: null });
    const b = rig();
    b.send({ type: 'notification', kind: 'timer', label: 'Tea' }, { type: 'mute', muted: true }, { type: 'mute', muted: false });
    expect(b.m.view.state).toBe('idle');
    const c = rig();
    c.send(WAKE, { type: 'notification', kind: 'timer', label: 'Tea' }, { type: 'notification', kind: 'timer', label: null });
    expect(c.m.view).toMatchObject({ state: 'listening', notification: null, stream: { id: 1 } });
  });

  it('thinking too long is SERVICE_TIMEOUT; an answer in time cancels it', () => {
    const a = rig({ thinkingTimeoutMs: 4000 });
    a.send(WAKE, PROCESSING);
    a.clock.advance(3999);
    expect(a.m.view.state).toBe('thinking');
    a.clock.advance(1);
    expect(a.m.view).toMatchObject({ state: 'error', error: { code: 'SERVICE_TIMEOUT' } });
    const b = rig({ thinkingTimeoutMs: 4000 });
    b.send(WAKE, PROCESSING, REPLY_START);
    b.clock.advance(10_000);
    expect(b.m.view).toMatchObject({ state: 'speaking', error: null });
  });

  it('a reply that starts while still listening closes the stream as processed and speaks', () => {
    const { m, send, clock } = rig({ maxStreamMs: 3000 });
    send(WAKE, REPLY_START);
    expect(m.view).toMatchObject({ state: 'speaking', stream: null, lastStreamEnd: { id: 1, reason: 'processed' } });
    clock.advance(5000);
    expect(m.view).toMatchObject({ state: 'speaking', lastStreamEnd: { reason: 'processed' } });
    send(REPLY_END);
    expect(m.view.state).toBe('idle');
  });

  it('a reply start while idle (an announcement) changes nothing; a reply end only ends a reply', () => {
    const { m, send, changes } = rig({ followUp: true });
    send(REPLY_START);
    expect(m.view.state).toBe('idle');
    send(REPLY_END);
    expect(m.view).toMatchObject({ state: 'idle', stream: null });
    send(WAKE, REPLY_END);
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 1, trigger: 'wake' } });
    expect(changes).toHaveLength(1);
  });

  it('a reply end while thinking (nothing to say) goes idle, or follows up', () => {
    const a = rig();
    a.send(WAKE, PROCESSING, REPLY_END);
    expect(a.m.view.state).toBe('idle');
    const b = rig({ followUp: true });
    b.send(WAKE, PROCESSING, REPLY_END);
    expect(b.m.view).toMatchObject({ state: 'follow-up', stream: { trigger: 'follow-up' } });
  });

  it('the maximum stream length is re-armed for each stream, and does not apply after the stream ended', () => {
    const { m, send, clock } = rig({ maxStreamMs: 3000 });
    send(WAKE);
    clock.advance(2000);
    send(PROCESSING, REPLY_START, WAKE);
    clock.advance(2000);
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 2 } });
    clock.advance(1000);
    expect(m.view).toMatchObject({ state: 'thinking', lastStreamEnd: { id: 2, reason: 'max-duration' } });
  });

  it('a service error while idle shows nothing; while thinking it shows the code, or SERVICE_ERROR', () => {
    const { m, send } = rig();
    send({ type: 'service', signal: 'error', code: 'X' });
    expect(m.view).toMatchObject({ state: 'idle', error: null });
    send(WAKE, PROCESSING, { type: 'service', signal: 'error' });
    expect(m.view).toMatchObject({ state: 'error', error: { code: 'SERVICE_ERROR' }, lastStreamEnd: { reason: 'processed' } });
  });

  it('processing without a stream (already closed) does not start thinking', () => {
    const { m, send } = rig();
    send(PROCESSING);
    expect(m.view).toMatchObject({ state: 'idle', lastStreamEnd: null });
  });
});

describe('attention machine: the local VAD', () => {
  it('no speech within the timeout ends the stream; speech cancels that; end of speech needs speech first', () => {
    const { m, send, clock } = rig({ noSpeechTimeoutMs: 2000, maxStreamMs: 10_000 }, { endpoint: true });
    send(WAKE, { type: 'end-of-speech' });
    expect(m.view.state).toBe('listening');
    clock.advance(1999);
    expect(m.view.state).toBe('listening');
    clock.advance(1);
    expect(m.view).toMatchObject({ state: 'idle', lastStreamEnd: { id: 1, reason: 'no-speech' } });
    send(WAKE, { type: 'speech-start' });
    clock.advance(5000);
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 2 } });
    send({ type: 'end-of-speech' });
    expect(m.view).toMatchObject({ state: 'thinking', lastStreamEnd: { id: 2, reason: 'end-of-speech' } });
  });

  it('speech heard in one stream does not count for the next', () => {
    const { m, send } = rig({}, { endpoint: true });
    send(WAKE, { type: 'speech-start' }, { type: 'button-press' }, WAKE, { type: 'end-of-speech' });
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 2 } });
  });

  it('speech events without a stream are ignored', () => {
    const { m, send } = rig({}, { endpoint: true });
    send({ type: 'speech-start' }, { type: 'end-of-speech' });
    expect(m.view).toMatchObject({ state: 'idle', lastStreamEnd: null });
    send(WAKE, { type: 'end-of-speech' });
    expect(m.view.state).toBe('listening');
  });

  it('without a VAD there is no no-speech timeout', () => {
    const { m, send, clock } = rig({ noSpeechTimeoutMs: 2000, maxStreamMs: 10_000 });
    send(WAKE);
    clock.advance(9999);
    expect(m.view.state).toBe('listening');
  });

  it('a follow-up has no no-speech timeout of its own: its window ends it', () => {
    const { m, send, clock } = rig({ followUp: true, followUpWindowMs: 6000, noSpeechTimeoutMs: 2000 }, { endpoint: true });
    send(WAKE, { type: 'speech-start' }, { type: 'end-of-speech' }, REPLY_START, REPLY_END);
    expect(m.view.state).toBe('follow-up');
    clock.advance(5999);
    expect(m.view.state).toBe('follow-up');
    clock.advance(1);
    expect(m.view).toMatchObject({ state: 'idle', lastStreamEnd: { reason: 'follow-up-expired' } });
  });
});

describe('attention machine: follow-up', () => {
  it('speech in the window turns it into listening: the window no longer ends it', () => {
    const { m, send, clock } = rig({ followUp: true, followUpWindowMs: 5000, maxStreamMs: 20_000 }, { endpoint: true });
    send(WAKE, REPLY_START, REPLY_END);
    expect(m.view).toMatchObject({ state: 'follow-up', followUpEndsAt: 5000, followUpMs: 5000 });
    clock.advance(1000);
    send({ type: 'speech-start' });
    expect(m.view).toMatchObject({ state: 'listening', followUpEndsAt: null, followUpMs: null, stream: { trigger: 'follow-up' } });
    clock.advance(10_000);
    expect(m.view).toMatchObject({ state: 'listening', stream: { trigger: 'follow-up' } });
    send({ type: 'end-of-speech' });
    expect(m.view).toMatchObject({ state: 'thinking', lastStreamEnd: { reason: 'end-of-speech' }, followUpEndsAt: null });
  });

  it('the service may ask for a follow-up while speaking or within the grace after the reply, not later', () => {
    const a = rig({ followUp: true, followUpWindowMs: 5000 });
    a.send(WAKE, REPLY_START, { type: 'follow-up-request' });
    expect(a.m.view).toMatchObject({ state: 'follow-up', stream: { id: 2, trigger: 'follow-up' } });

    const b = rig({ followUp: true });
    b.settings.followUp = false;
    b.send(WAKE, REPLY_START, REPLY_END);
    b.settings.followUp = true;
    b.clock.advance(FOLLOW_UP_GRACE_MS);
    b.send({ type: 'follow-up-request' });
    expect(b.m.view).toMatchObject({ state: 'follow-up', stream: { trigger: 'follow-up' } });

    const c = rig({ followUp: false });
    c.send(WAKE, REPLY_START, REPLY_END);
    c.settings.followUp = true;
    c.clock.advance(FOLLOW_UP_GRACE_MS + 1);
    c.send({ type: 'follow-up-request' });
    expect(c.m.view).toMatchObject({ state: 'idle', stream: null });

    const d = rig({ followUp: true });
    d.send({ type: 'follow-up-request' });
    expect(d.m.view.stream).toBeNull();
    d.send(WAKE, PROCESSING, { type: 'follow-up-request' });
    expect(d.m.view).toMatchObject({ state: 'thinking', stream: null });
    expect(FOLLOW_UP_GRACE_MS).toBe(1500);
  });

  it('no follow-up when the reply ends muted, paused or offline', () => {
    const a = rig({ followUp: true });
    a.send(WAKE, REPLY_START, { type: 'service', signal: 'connection-lost' }, REPLY_END);
    expect(a.m.view).toMatchObject({ state: 'offline', stream: null });
    const b = rig({ followUp: true });
    b.send(WAKE, REPLY_START, { type: 'pause', paused: true }, { type: 'follow-up-request' });
    expect(b.m.view.stream).toBeNull();
  });

  it('the owner ending the conversation closes a follow-up at once, with no answer awaited', () => {
    const { m, send, clock } = rig({ followUp: true });
    send(WAKE, REPLY_START, REPLY_END, { type: 'end-conversation' });
    expect(m.view).toMatchObject({ state: 'idle', stream: null, lastStreamEnd: { id: 2, reason: 'processed' }, followUpEndsAt: null });
    clock.advance(60_000);
    expect(m.view).toMatchObject({ state: 'idle', error: null });
    send({ type: 'end-conversation' });
    expect(m.view.lastStreamEnd).toEqual({ id: 2, reason: 'processed' });
  });
});

describe('attention machine: what closes a stream, and why', () => {
  it('pause closes it as paused and holds the device idle; unpausing opens nothing', () => {
    const { m, send, changes } = rig();
    send(WAKE, { type: 'pause', paused: true });
    expect(m.view).toMatchObject({ state: 'idle', paused: true, stream: null, lastStreamEnd: { reason: 'paused' } });
    const n = changes.length;
    send({ type: 'pause', paused: true });
    expect(changes).toHaveLength(n);
    send({ type: 'pause', paused: false });
    expect(m.view).toMatchObject({ state: 'idle', paused: false, stream: null });
    send({ type: 'pause', paused: true });
    expect(m.view.lastStreamEnd).toEqual({ id: 1, reason: 'paused' });
  });

  it('a pause during an error shows idle at once', () => {
    const { m, send } = rig();
    send(WAKE, { type: 'indicator-failed', code: 'LED' }, { type: 'pause', paused: true });
    expect(m.view).toMatchObject({ state: 'idle', error: null });
  });

  it('shutdown closes it as shutdown and leaves no timer running', () => {
    const { m, send, clock, expired } = rig({}, { endpoint: true });
    send({ type: 'confirm-request', what: 'all', timeoutMs: 1000 }, WAKE);
    m.dispose();
    expect(m.view).toMatchObject({ state: 'idle', stream: null, lastStreamEnd: { id: 1, reason: 'shutdown' } });
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60_000);
    expect(expired).toEqual([]);
    const t = rig();
    t.send(WAKE, PROCESSING);
    t.m.dispose();
    expect(t.m.view).toMatchObject({ state: 'idle', lastStreamEnd: { reason: 'processed' } });
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('a fault closes it as fault, stops every activity timer and keeps a latched reason', () => {
    const { m, send, clock } = rig({ thinkingTimeoutMs: 2000 });
    send(WAKE, PROCESSING, { type: 'fault', code: 'EGRESS_MISMATCH', message: 'unexpected', latched: true });
    expect(m.view).toMatchObject({ state: 'fault', fault: { code: 'EGRESS_MISMATCH', message: 'unexpected', latched: true } });
    clock.advance(10_000);
    expect(m.view).toMatchObject({ state: 'fault', error: null });
    send({ type: 'fault', code: 'RELAY', message: 'later' }, { type: 'fault-cleared' });
    expect(m.view.fault).toEqual({ code: 'EGRESS_MISMATCH', message: 'unexpected', latched: true });
    const u = rig();
    u.send({ type: 'fault', code: 'A', message: 'a' }, { type: 'fault', code: 'B', message: 'b' });
    expect(u.m.view.fault).toStrictEqual({ code: 'B', message: 'b' });
    u.send(WAKE);
    expect(u.m.view.stream).toBeNull();
    u.send({ type: 'fault-cleared' });
    expect(u.m.view).toMatchObject({ state: 'idle', fault: null });
  });

  it('a fault during an error or a notification leaves only the fault', () => {
    const { m, send } = rig();
    send({ type: 'notification', kind: 'timer', label: 'x' }, { type: 'fault', code: 'F', message: 'm' }, { type: 'fault-cleared' });
    expect(m.view.state).toBe('idle');
  });

  it('indicator failure without a stream still shows the error', () => {
    const { m, send } = rig();
    send({ type: 'indicator-failed', code: 'SCREEN_FAILED' });
    expect(m.view).toMatchObject({ state: 'error', error: { code: 'SCREEN_FAILED' }, lastStreamEnd: null });
  });

  it('losing the service shows offline; a reconnect is needed to open again', () => {
    const { m, send, refused } = rig();
    send({ type: 'service', signal: 'connection-lost' }, { type: 'button-press' });
    expect(refused).toEqual(['OFFLINE']);
    expect(m.view).toMatchObject({ state: 'offline', online: false });
    send({ type: 'service', signal: 'connected' });
    expect(m.view).toMatchObject({ state: 'idle', online: true });
    send({ type: 'service', signal: 'connection-lost' });
    expect(m.view.lastStreamEnd).toBeNull();
  });

  it('mute during a hold lets go of the hold: unmuting does not power the mic', () => {
    const { m, send } = rig({ pushToTalk: true });
    send({ type: 'button-press' }, { type: 'mic-ready' }, { type: 'mute', muted: true });
    expect(m.view).toMatchObject({ state: 'muted', micPowered: false, stream: null, lastStreamEnd: { reason: 'mute' } });
    send({ type: 'mute', muted: false });
    expect(m.view).toMatchObject({ state: 'idle', micPowered: false });
    send({ type: 'mic-ready' });
    expect(m.view.stream).toBeNull();
  });

  it('mute while thinking goes to muted and the thinking timeout is void', () => {
    const { m, send, clock } = rig();
    send(WAKE, PROCESSING, { type: 'mute-toggle' });
    expect(m.view).toMatchObject({ state: 'muted', lastStreamEnd: { reason: 'processed' } });
    send({ type: 'mute-toggle' });
    expect(m.view.state).toBe('idle');
    clock.advance(60_000);
    expect(m.view).toMatchObject({ state: 'idle', error: null });
  });
});

describe('attention machine: the schedule and push-to-talk turned on while running', () => {
  it('the schedule starting ends the stream as mute and shows muted; ending it shows idle', () => {
    const { m, send } = rig();
    send(WAKE, { type: 'schedule', active: true });
    expect(m.view).toMatchObject({ state: 'muted', muted: true, ownerMuted: false, scheduledMute: true, micPowered: false, stream: null, lastStreamEnd: { reason: 'mute' } });
    send({ type: 'schedule', active: false });
    expect(m.view).toMatchObject({ state: 'idle', muted: false, scheduledMute: false, micPowered: true });
  });

  it('the schedule starting while thinking shows muted (the thinking is void); while idle it only mutes', () => {
    const { m, send, clock } = rig({ thinkingTimeoutMs: 2000 });
    send(WAKE, PROCESSING, { type: 'schedule', active: true });
    expect(m.view.state).toBe('muted');
    send({ type: 'schedule', active: false });
    clock.advance(5000);
    expect(m.view).toMatchObject({ state: 'idle', error: null });
  });

  it('a repeated schedule signal changes nothing', () => {
    const { send, changes } = rig();
    send({ type: 'schedule', active: false });
    expect(changes).toHaveLength(0);
    send({ type: 'schedule', active: true }, { type: 'schedule', active: true });
    expect(changes).toHaveLength(1);
  });

  it('with the allowance, the schedule is push-to-talk: a hold powers the mic and opens a request', () => {
    const { m, send } = rig({ scheduleAllowsPushToTalk: true });
    send({ type: 'schedule', active: true });
    expect(m.view).toMatchObject({ state: 'muted', pushToTalk: true, micPowered: false });
    send(WAKE);
    expect(m.view.stream).toBeNull();
    send({ type: 'button-press' });
    expect(m.view).toMatchObject({ muted: false, micPowered: true, pushToTalk: true, state: 'idle' });
    send({ type: 'mic-ready' });
    expect(m.view).toMatchObject({ state: 'listening', stream: { trigger: 'button' } });
    send({ type: 'button-release' });
    expect(m.view).toMatchObject({ state: 'muted', muted: true, micPowered: false, lastStreamEnd: { reason: 'button-release' } });
  });

  // Before this test the scheduled mute refused the button as OFFLINE (the code read only the owner's mute).
  it('without the allowance the schedule refuses the button as muted', () => {
    const { m, send, refused } = rig({ scheduleAllowsPushToTalk: false });
    send({ type: 'schedule', active: true }, { type: 'button-press' });
    expect(refused).toEqual(['MUTED']);
    expect(m.view).toMatchObject({ pushToTalk: false, micPowered: false, stream: null });
  });

  it('the allowance outside the schedule changes nothing: the wake word works', () => {
    const { m, send } = rig({ scheduleAllowsPushToTalk: true });
    expect(m.view).toMatchObject({ pushToTalk: false, micPowered: true });
    send(WAKE);
    expect(m.view.state).toBe('listening');
  });

  it('push-to-talk switched on during a wake-word stream ends the stream as mute', () => {
    const { m, send, settings } = rig();
    send(WAKE);
    settings.pushToTalk = true;
    send({ type: 'settings-changed' });
    expect(m.view).toMatchObject({ stream: null, lastStreamEnd: { id: 1, reason: 'mute' }, pushToTalk: true, micPowered: false });
    // Nothing listens any more, so the ring must not go on showing listening.
    expect(m.view.state).toBe('idle');
  });

  it('push-to-talk switched on while a reply is spoken lets the reply finish', () => {
    const { m, send, settings } = rig();
    send(WAKE, PROCESSING, REPLY_START);
    settings.pushToTalk = true;
    send({ type: 'settings-changed' });
    expect(m.view).toMatchObject({ state: 'speaking', pushToTalk: true });
    send(REPLY_END);
    expect(m.view.state).toBe('idle');
  });

  it('push-to-talk switched on while the button holds a stream keeps it', () => {
    const { m, send, settings } = rig({ pushToTalk: true });
    send({ type: 'button-press' }, { type: 'mic-ready' });
    settings.scheduleAllowsPushToTalk = true;
    send({ type: 'settings-changed' });
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 1 } });
  });

  it('a settings change while idle and unmuted changes nothing; the schedule allowance withdrawn mid-hold ends the stream', () => {
    const a = rig();
    a.send({ type: 'settings-changed' });
    expect(a.changes).toHaveLength(0);
    const b = rig({ scheduleAllowsPushToTalk: true });
    b.send({ type: 'schedule', active: true }, { type: 'button-press' }, { type: 'mic-ready' });
    expect(b.m.view.state).toBe('listening');
    b.settings.scheduleAllowsPushToTalk = false;
    b.send({ type: 'settings-changed' });
    expect(b.m.view).toMatchObject({ state: 'muted', stream: null, lastStreamEnd: { reason: 'mute' }, micPowered: false });
  });

  it('a schedule turned on during an error (no stream) shows muted', () => {
    const { m, send } = rig();
    send({ type: 'indicator-failed', code: 'X' }, { type: 'schedule', active: true });
    expect(m.view).toMatchObject({ state: 'muted', error: null });
    send({ type: 'schedule', active: false });
    expect(m.view.state).toBe('idle');
  });
});

describe('attention machine: the view it publishes', () => {
  it('shows fault over mute over activity over offline', () => {
    const { m, send } = rig({}, { online: false });
    expect(m.view.state).toBe('offline');
    send({ type: 'indicator-failed', code: 'X' });
    expect(m.view.state).toBe('error');
    send({ type: 'mute', muted: true });
    expect(m.view.state).toBe('muted');
    send({ type: 'fault', code: 'F', message: 'm' });
    expect(m.view.state).toBe('fault');
  });

  it('carries the talker direction, night mode and service timers, and announces each change once', () => {
    const { m, send, changes } = rig();
    send({ type: 'talker-direction', degrees: 90 });
    expect(m.view.talkerDirection).toBe(90);
    send({ type: 'talker-direction', degrees: 90 });
    expect(changes.map((v) => v.version)).toEqual([1]);
    send({ type: 'talker-direction', degrees: null });
    expect(m.view.talkerDirection).toBeNull();
    send({ type: 'night', on: true });
    expect(m.view.night).toBe(true);
    send({ type: 'night', on: true });
    const timer = { id: 't', name: 'Tea', active: true, endsAt: 60_000, remainingMs: 60_000 };
    send({ type: 'timers', timers: [timer] });
    send({ type: 'timers', timers: [{ ...timer }] });
    expect(changes.map((v) => v.version)).toEqual([1, 2, 3, 4]);
    send({ type: 'timers', timers: [{ ...timer, active: false, endsAt: null }] });
    send({ type: 'timers', timers: [{ ...timer, active: false, endsAt: null }, { ...timer, id: 'u' }] });
    send({ type: 'timers', timers: [{ ...timer, active: false, endsAt: null }, { ...timer, id: 'u', name: null }] });
    expect(changes.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(m.view.timers).toEqual([{ ...timer, active: false, endsAt: null }, { ...timer, id: 'u', name: null }]);
  });

  it('each published view is its own copy: editing one changes neither the machine nor the next', () => {
    const { m, send, changes } = rig();
    const timer = { id: 't', name: 'Tea', active: true, endsAt: 60_000, remainingMs: 60_000 };
    const timers = [timer];
    send({ type: 'timers', timers });
    timer.name = 'Coffee';
    timers.push({ ...timer, id: 'x' });
    expect(m.view.timers).toEqual([{ id: 't', name: 'Tea', active: true, endsAt: 60_000, remainingMs: 60_000 }]);
    send(WAKE);
    const v = m.view;
    (v.stream as { id: number }).id = 99;
    (v.timers[0] as { name: string }).name = 'edited';
    send({ type: 'talker-direction', degrees: 10 });
    expect(m.view.stream?.id).toBe(1);
    expect(m.view.timers[0]!.name).toBe('Tea');
    expect(changes.at(-1)?.stream?.id).toBe(1);
  });

  it('the change event carries the new view and the one before', () => {
    const { m } = rig();
    const seen: [AttentionView, AttentionView][] = [];
    m.on('change', (v, p) => seen.push([v, p]));
    const before = m.view;
    m.send(WAKE);
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe(m.view);
    expect(seen[0]![1]).toBe(before);
    expect(seen[0]![0]).toMatchObject({ version: 1, state: 'listening' });
    expect(seen[0]![1]).toMatchObject({ version: 0, state: 'idle' });
  });

  it('a change to any nested field is a change: error code, fault message, notification label, notice, confirm deadline', () => {
    const { m, send, changes, clock } = rig();
    send({ type: 'indicator-failed', code: 'A' });
    send({ type: 'indicator-failed', code: 'B' });
    expect(m.view.error).toEqual({ code: 'B' });
    send({ type: 'fault', code: 'F', message: 'one' }, { type: 'fault', code: 'F', message: 'two' });
    expect(m.view.fault?.message).toBe('two');
    send({ type: 'fault-cleared' });
    send({ type: 'notification', kind: 'timer', label: 'a' }, { type: 'notification', kind: 'timer', label: 'b' }, { type: 'notification', kind: 'announcement', label: 'b' });
    expect(m.view.notification).toEqual({ kind: 'announcement', label: 'b' });
    send({ type: 'confirm-request', what: 'all', timeoutMs: 5000 });
    clock.advance(1);
    send({ type: 'confirm-request', what: 'all', timeoutMs: 5000 });
    expect(m.view.confirm).toEqual({ what: 'all', endsAt: 5001 });
    expect(changes.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a fault that gains the latch is a change', () => {
    const { send, changes, m } = rig();
    send({ type: 'fault', code: 'F', message: 'm' }, { type: 'fault', code: 'F', message: 'm', latched: true });
    expect(m.view.fault).toEqual({ code: 'F', message: 'm', latched: true });
    expect(changes).toHaveLength(2);
  });

  it('a new stream with the same shape is a change (its id differs); the end reason is part of the view', () => {
    const { send, changes, m } = rig();
    send(WAKE, { type: 'button-press' }, WAKE);
    expect(changes.map((v) => [v.state, v.stream?.id ?? null, v.lastStreamEnd?.reason ?? null])).toEqual([
      ['listening', 1, null],
      ['idle', null, 'button-stop'],
      ['listening', 2, 'button-stop'],
    ]);
    expect(m.view.version).toBe(3);
  });
});

describe('attention machine: a change in one field alone still reaches the indicators', () => {
  it('a muted device that loses and regains the service shows it (online is the only change)', () => {
    const { m, send, changes } = rig({}, { muted: true });
    send({ type: 'service', signal: 'connection-lost' });
    expect(m.view).toMatchObject({ state: 'muted', online: false });
    send({ type: 'service', signal: 'connected' });
    expect(m.view).toMatchObject({ state: 'muted', online: true });
    expect(changes).toHaveLength(2);
  });

  it('an owner-muted device entering the schedule, and the owner muting inside it, each show', () => {
    const { m, send, changes } = rig({}, { muted: true });
    send({ type: 'schedule', active: true });
    expect(m.view).toMatchObject({ state: 'muted', ownerMuted: true, scheduledMute: true });
    send({ type: 'mute', muted: false });
    expect(m.view).toMatchObject({ state: 'muted', ownerMuted: false, scheduledMute: true, muted: true });
    send({ type: 'mute', muted: true });
    expect(m.view).toMatchObject({ ownerMuted: true });
    expect(changes).toHaveLength(3);
  });

  it('push-to-talk switched on while muted shows push-to-talk', () => {
    const { m, send, settings, changes } = rig({}, { muted: true });
    settings.pushToTalk = true;
    send({ type: 'settings-changed' });
    expect(m.view).toMatchObject({ state: 'muted', pushToTalk: true, micPowered: false });
    expect(changes).toHaveLength(1);
  });
});

describe('attention machine: the button outside push-to-talk, and push-to-talk turned off mid-hold', () => {
  it('without push-to-talk a press toggles: releasing the button ends nothing', () => {
    const { m, send } = rig();
    send({ type: 'button-press' }, { type: 'button-release' });
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 1, trigger: 'button' }, lastStreamEnd: null });
    send({ type: 'mic-ready' });
    expect(m.view.stream).toMatchObject({ id: 1 });
  });

  it('push-to-talk turned off while the button is held opens no stream when the mic reports ready', () => {
    const { m, send, settings } = rig({ pushToTalk: true });
    send({ type: 'button-press' });
    settings.pushToTalk = false;
    send({ type: 'settings-changed' }, { type: 'mic-ready' });
    expect(m.view).toMatchObject({ state: 'idle', stream: null, pushToTalk: false });
  });
});

describe('attention machine: what must not be lost or opened on the way', () => {
  it('a timer that rings during a reply is still shown after the owner barges in and stops', () => {
    const { m, send } = rig();
    send(WAKE, PROCESSING, REPLY_START, { type: 'notification', kind: 'timer', label: 'Tea' });
    expect(m.view).toMatchObject({ state: 'speaking', notification: { label: 'Tea' } });
    send(WAKE);
    expect(m.view).toMatchObject({ state: 'listening', notification: { label: 'Tea' } });
    send({ type: 'button-press' });
    expect(m.view).toMatchObject({ state: 'notification', notification: { label: 'Tea' } });
  });

  it('a repeated pause, or the unpause, does not cut short an error being shown', () => {
    const { m, send, clock } = rig();
    send({ type: 'pause', paused: true }, { type: 'indicator-failed', code: 'LED_FAILED' });
    expect(m.view.state).toBe('error');
    send({ type: 'pause', paused: true });
    expect(m.view).toMatchObject({ state: 'error', error: { code: 'LED_FAILED' } });
    clock.advance(1000);
    send({ type: 'pause', paused: false });
    expect(m.view).toMatchObject({ state: 'error', paused: false });
    clock.advance(1000);
    expect(m.view.state).toBe('idle');
  });

  it('an indicator failure while muted is still shown after unmuting', () => {
    const { m, send, clock } = rig({}, { muted: true });
    send({ type: 'indicator-failed', code: 'LED_FAILED' });
    expect(m.view.state).toBe('muted');
    send({ type: 'mute', muted: false });
    expect(m.view).toMatchObject({ state: 'error', error: { code: 'LED_FAILED' } });
    clock.advance(ERROR_DISPLAY_MS);
    expect(m.view.state).toBe('idle');
  });

  it('a follow-up asked for after the owner muted, or while the next request is thought about, opens nothing', () => {
    const a = rig({ followUp: false });
    a.send(WAKE, PROCESSING, REPLY_START, REPLY_END, { type: 'mute', muted: true });
    a.settings.followUp = true;
    a.clock.advance(100);
    a.send({ type: 'follow-up-request' });
    expect(a.m.view).toMatchObject({ state: 'muted', stream: null, micPowered: false });

    const b = rig({ followUp: false });
    b.send(WAKE, PROCESSING, REPLY_START, REPLY_END, WAKE, PROCESSING);
    b.settings.followUp = true;
    b.clock.advance(100);
    b.send({ type: 'follow-up-request' });
    expect(b.m.view).toMatchObject({ state: 'thinking', stream: null, lastStreamEnd: { id: 2, reason: 'processed' } });
  });

  it('the action button in a follow-up window ends it at once', () => {
    const { m, send } = rig({ followUp: true });
    send(WAKE, REPLY_START, REPLY_END);
    expect(m.view.state).toBe('follow-up');
    send({ type: 'button-press' });
    expect(m.view).toMatchObject({ state: 'idle', stream: null, lastStreamEnd: { id: 2, reason: 'button-stop' }, followUpEndsAt: null });
  });

  it('a settings change that leaves the mic powered keeps the stream open', () => {
    const { m, send, settings } = rig();
    send(WAKE);
    settings.nightMode = true;
    send({ type: 'settings-changed' });
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 1 }, lastStreamEnd: null });
  });
});

describe('attention machine: follow-up windows and push-to-talk', () => {
  it('in push-to-talk a reply never opens a follow-up window: the button is up', () => {
    const { m, send } = rig({ pushToTalk: true, followUp: true });
    send({ type: 'button-press' }, { type: 'mic-ready' }, { type: 'button-release' }, REPLY_START, REPLY_END);
    expect(m.view).toMatchObject({ state: 'idle', stream: null, micPowered: false, lastStreamEnd: { id: 1, reason: 'button-release' } });
    send({ type: 'follow-up-request' });
    expect(m.view.stream).toBeNull();
  });

  it('a follow-up window lasts its full time even when the request before it heard no speech', () => {
    const { m, send, clock } = rig({ followUp: true, followUpWindowMs: 5000, noSpeechTimeoutMs: 2000 }, { endpoint: true });
    send(WAKE);
    clock.advance(200);
    send(PROCESSING, REPLY_START);
    clock.advance(300);
    send(REPLY_END);
    expect(m.view).toMatchObject({ state: 'follow-up', followUpEndsAt: 5500 });
    clock.advance(4999);
    expect(m.view).toMatchObject({ state: 'follow-up', stream: { id: 2 } });
    clock.advance(1);
    expect(m.view).toMatchObject({ state: 'idle', lastStreamEnd: { id: 2, reason: 'follow-up-expired' } });
  });
});

describe('attention machine: refusals and replies, each condition alone', () => {
  it.each([
    ['muted', { type: 'mute', muted: true }, 'MUTED'],
    ['paused', { type: 'pause', paused: true }, 'PAUSED'],
    ['in a fault', { type: 'fault', code: 'F', message: 'm' }, 'FAULT'],
  ] as const)('in push-to-talk, online but %s, the button is refused and powers nothing', (_what, event, code) => {
    const { m, send, refused } = rig({ pushToTalk: true });
    send(event as AttentionEvent, { type: 'button-press' }, { type: 'mic-ready' });
    expect(refused).toEqual([code]);
    expect(m.view).toMatchObject({ micPowered: false, stream: null });
  });

  it('the button stopping a reply shows the timer that rang during it', () => {
    const { m, send } = rig();
    send(WAKE, PROCESSING, REPLY_START, { type: 'notification', kind: 'timer', label: 'Tea' }, { type: 'button-press' });
    expect(m.view).toMatchObject({ state: 'notification', notification: { kind: 'timer', label: 'Tea' } });
  });

  it('a reply the service starts during a follow-up window closes the window and speaks', () => {
    const { m, send } = rig({ followUp: true });
    send(WAKE, REPLY_START, REPLY_END);
    expect(m.view.state).toBe('follow-up');
    send(REPLY_START);
    expect(m.view).toMatchObject({ state: 'speaking', stream: null, followUpEndsAt: null, lastStreamEnd: { id: 2, reason: 'processed' } });
  });

  it('a machine built without saying whether there is a VAD has no no-speech timeout', () => {
    const clock = new ManualClock();
    const settings = { ...defaultSettings(), noSpeechTimeoutMs: 2000, maxStreamMs: 10_000 };
    const m = new AttentionMachine({ clock, settings: () => settings, muted: false, softwareMute: false, online: true });
    m.send(WAKE);
    clock.advance(9999);
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 1 } });
  });

  it('a repeated end-of-schedule signal while muted does not erase an indicator failure still to be shown', () => {
    const { m, send } = rig({}, { muted: true });
    send({ type: 'indicator-failed', code: 'LED_FAILED' }, { type: 'schedule', active: false }, { type: 'mute', muted: false });
    expect(m.view).toMatchObject({ state: 'error', error: { code: 'LED_FAILED' } });
  });
});
