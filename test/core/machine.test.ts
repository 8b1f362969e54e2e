import { describe, expect, it } from 'vitest';
import { AttentionMachine, ERROR_DISPLAY_MS } from '../../src/core/attention/machine.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import { defaultSettings, type Settings } from '../../src/core/settings/schema.ts';

function machine(over: Partial<Settings> = {}, opts: { muted?: boolean; endpoint?: boolean } = {}) {
  const clock = new ManualClock();
  const settings = { ...defaultSettings(), ...over };
  const m = new AttentionMachine({ clock, settings: () => settings, muted: opts.muted ?? false, softwareMute: false, online: true, hasEndpointDetector: opts.endpoint ?? false });
  const refused: string[] = [];
  m.on('refused', (c) => refused.push(c));
  return { m, clock, refused };
}

describe('attention machine', () => {
  it('wake opens a stream; processing closes it and thinks; the reply ends in idle', () => {
    const { m } = machine();
    m.send({ type: 'wake', wakeWord: 'alexa' });
    expect(m.view).toMatchObject({ state: 'listening', stream: { id: 1, trigger: 'wake', wakeWord: 'alexa' } });
    m.send({ type: 'service', signal: 'processing' });
    expect(m.view).toMatchObject({ state: 'thinking', stream: null, lastStreamEnd: { id: 1, reason: 'processed' } });
    m.send({ type: 'service', signal: 'response-start' });
    expect(m.view.state).toBe('speaking');
    m.send({ type: 'service', signal: 'response-end' });
    expect(m.view.state).toBe('idle');
  });

  it('the action button starts a request, and stops it while listening or speaking (as on Echo)', () => {
    const { m } = machine();
    m.send({ type: 'button-press' });
    expect(m.view).toMatchObject({ state: 'listening', stream: { trigger: 'button' } });
    m.send({ type: 'button-press' });
    expect(m.view).toMatchObject({ state: 'idle', lastStreamEnd: { reason: 'button-stop' } });
    m.send({ type: 'button-press' });
    m.send({ type: 'service', signal: 'response-start' });
    expect(m.view.state).toBe('speaking');
    m.send({ type: 'button-press' });
    expect(m.view.state).toBe('idle');
  });

  it('the stream closes at the maximum duration (injected clock)', () => {
    const { m, clock } = machine({ maxStreamMs: 3000 });
    m.send({ type: 'wake', wakeWord: 'alexa' });
    clock.advance(2999);
    expect(m.view.state).toBe('listening');
    clock.advance(1);
    expect(m.view).toMatchObject({ state: 'thinking', lastStreamEnd: { reason: 'max-duration' } });
  });

  it('with a VAD, no speech within the timeout returns to idle; end of speech closes the stream', () => {
    const { m, clock } = machine({ noSpeechTimeoutMs: 5000 }, { endpoint: true });
    m.send({ type: 'wake', wakeWord: 'alexa' });
    clock.advance(5000);
    expect(m.view).toMatchObject({ state: 'idle', lastStreamEnd: { reason: 'no-speech' } });
    m.send({ type: 'wake', wakeWord: 'alexa' });
    m.send({ type: 'speech-start' });
    clock.advance(6000);
    expect(m.view.state).toBe('listening');
    m.send({ type: 'end-of-speech' });
    expect(m.view).toMatchObject({ state: 'thinking', lastStreamEnd: { reason: 'end-of-speech' } });
  });

  it('mute closes the stream at once and refuses every way in', () => {
    const { m, refused } = machine();
    m.send({ type: 'wake', wakeWord: 'alexa' });
    m.send({ type: 'mute-toggle' });
    expect(m.view).toMatchObject({ state: 'muted', stream: null, lastStreamEnd: { reason: 'mute' } });
    m.send({ type: 'wake', wakeWord: 'alexa' });
    m.send({ type: 'button-press' });
    m.send({ type: 'follow-up-request' });
    expect(m.view.stream).toBeNull();
    expect(refused).toEqual(['MUTED']);
  });

  it('follow-up opens only when the setting is on, counts down, and expires', () => {
    const off = machine({ followUp: false });
    off.m.send({ type: 'wake', wakeWord: 'alexa' });
    off.m.send({ type: 'service', signal: 'response-start' });
    off.m.send({ type: 'service', signal: 'response-end' });
    expect(off.m.view.state).toBe('idle');
    off.m.send({ type: 'follow-up-request' });
    expect(off.m.view.stream).toBeNull();

    const on = machine({ followUp: true, followUpWindowMs: 5000 });
    on.m.send({ type: 'wake', wakeWord: 'alexa' });
    on.m.send({ type: 'service', signal: 'response-start' });
    on.m.send({ type: 'service', signal: 'response-end' });
    expect(on.m.view).toMatchObject({ state: 'follow-up', stream: { trigger: 'follow-up' }, followUpMs: 5000 });
    expect(on.m.view.followUpEndsAt).toBe(on.clock.now() + 5000);
    on.clock.advance(5000);
    expect(on.m.view).toMatchObject({ state: 'idle', lastStreamEnd: { reason: 'follow-up-expired' } });
  });

  it('service loss closes the stream and shows offline; errors show briefly', () => {
    const { m, clock } = machine();
    m.send({ type: 'wake', wakeWord: 'alexa' });
    m.send({ type: 'service', signal: 'connection-lost' });
    expect(m.view).toMatchObject({ state: 'offline', stream: null, lastStreamEnd: { reason: 'service-lost' } });
    m.send({ type: 'service', signal: 'connected' });
    m.send({ type: 'button-press' });
    m.send({ type: 'service', signal: 'error', code: 'X' });
    expect(m.view).toMatchObject({ state: 'error', error: { code: 'X' } });
    clock.advance(ERROR_DISPLAY_MS);
    expect(m.view.state).toBe('idle');
  });

  it('a relay fault overrides everything and refuses streams until cleared', () => {
    const { m } = machine();
    m.send({ type: 'button-press' });
    m.send({ type: 'fault', code: 'RELAY_SENSE_MISMATCH', message: 'x' });
    expect(m.view).toMatchObject({ state: 'fault', stream: null, lastStreamEnd: { reason: 'fault' } });
    m.send({ type: 'wake', wakeWord: 'alexa' });
    expect(m.view.stream).toBeNull();
    m.send({ type: 'fault-cleared' });
    m.send({ type: 'wake', wakeWord: 'alexa' });
    expect(m.view.state).toBe('listening');
  });

  it('view versions increase by one per change and unchanged inputs emit nothing', () => {
    const { m } = machine();
    const versions: number[] = [];
    m.on('change', (v) => versions.push(v.version));
    m.send({ type: 'mute', muted: false });
    m.send({ type: 'mute', muted: true });
    m.send({ type: 'mute', muted: true });
    m.send({ type: 'mute', muted: false });
    expect(versions).toEqual([1, 2]);
  });
});

describe('timers in the view', () => {
  it('the service timers are part of the view (screen countdowns) and changes bump the version', () => {
    const clock = new ManualClock();
    const settings = defaultSettings();
    const m = new AttentionMachine({ clock, settings: () => settings, muted: false, softwareMute: false, online: true });
    const v0 = m.view.version;
    m.send({ type: 'timers', timers: [{ id: 'a', name: 'Tea', active: true, endsAt: 60_000, remainingMs: 60_000 }] });
    expect(m.view.timers).toEqual([{ id: 'a', name: 'Tea', active: true, endsAt: 60_000, remainingMs: 60_000 }]);
    expect(m.view.version).toBe(v0 + 1);
    m.send({ type: 'timers', timers: [] });
    expect(m.view.timers).toEqual([]);
  });
});
