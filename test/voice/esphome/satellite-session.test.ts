import { afterEach, describe, expect, it } from 'vitest';
import type { Pcm } from '../../../hal/tone-player.ts';
import { entityId } from 'esphome-client';
import { connectPeer, until, VoiceAssistantEvent as E, type HaPeer } from './support/ha-peer.ts';
import { satelliteFixture, type Fixture } from './support/satellite-fixture.ts';
import { RawClient } from './support/raw-client.ts';
import { HelloRequestSchema, SubscribeVoiceAssistantRequestSchema, VoiceAssistantResponseSchema } from '../../../src/voice/esphome/generated/api_pb.ts';
import { encodeMessage } from '../../../src/voice/esphome/message-registry.ts';

/**
 * Full encrypted sessions: the published `esphome-client` package plays Home Assistant,
 * our satellite is the device. Audio is fed as the privacy gate would (openStream/write).
 */
let fx: Fixture | null = null;
const peers: HaPeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) await p.close();
  await fx?.close();
  fx = null;
});

const frame = () => new Int16Array(1280).fill(300); // 80 ms

async function setup(opts: Parameters<typeof satelliteFixture>[0] = {}) {
  fx = await satelliteFixture(opts);
  const ha = await connectPeer(fx.sat.port, opts.plaintext ? null : fx.pskB64);
  peers.push(ha);
  await until(() => fx!.sat.connected, 3000, 'voice owner');
  return { fx, ha };
}

describe('ESPHome satellite: one encrypted pipeline run against esphome-client', () => {
  it('wake → request with the phrase → audio only after HA accepts → VAD end stops audio → transcript, TTS fetched from HA, played, AnnounceFinished', async () => {
    const { fx, ha } = await setup();
    const events: string[] = [];
    const audio: Pcm[] = [];
    for (const ev of ['processing', 'transcript', 'response-text', 'response-start', 'response-end', 'error'] as const) {
      fx.sat.on(ev, () => events.push(ev));
    }
    fx.sat.on('response-audio', (_id, pcm) => audio.push(pcm));
    expect(ha.rec.deviceInfo).toMatchObject({ name: 'tally-test', voiceAssistantFeatureFlags: 61 });

    const stream = fx.sat.openStream({ streamId: 1, trigger: 'wake', preRollMs: 500, wakeWord: 'alexa' });
    stream.write(new Int16Array(8000).fill(200)); // the pre-roll, before HA answered
    await until(() => ha.rec.requests.length === 1, 3000, 'request');
    expect(ha.rec.requests[0]).toMatchObject({ start: true, wakeWordPhrase: 'Alexa' });
    await until(() => ha.rec.audioBytes >= 16000, 3000, 'pre-roll audio');
    for (let i = 0; i < 5; i++) stream.write(frame());
    await until(() => ha.rec.audioBytes === 16000 + 5 * 2560, 3000, 'all audio');

    ha.event(E.RUN_START);
    ha.event(E.STT_START);
    ha.event(E.STT_VAD_START);
    ha.event(E.STT_VAD_END);
    await until(() => events.includes('processing'));
    const before = ha.rec.audioBytes;
    stream.write(frame());
    ha.event(E.STT_END, { text: 'what time is it' });
    ha.event(E.INTENT_START);
    ha.event(E.INTENT_END, { conversation_id: 'c1', continue_conversation: '0' });
    ha.event(E.TTS_START, { text: 'It is noon' });
    ha.event(E.TTS_END, { url: fx.tts.url('reply') });
    ha.event(E.RUN_END);
    await until(() => audio.length === 1, 3000, 'reply audio');
    expect(ha.rec.audioBytes).toBe(before);
    expect(fx.tts.fetched).toEqual(['/tts/reply.wav']);
    expect(audio[0]).toMatchObject({ sampleRate: 16000, channels: 1 });
    expect(audio[0]!.samples.length).toBe(3200);
    expect(ha.rec.announceFinished).toEqual([]);
    fx.sat.played(1);
    await until(() => ha.rec.announceFinished.length === 1);
    expect(ha.rec.announceFinished).toEqual([true]);
    expect(events).toEqual(['processing', 'transcript', 'processing', 'response-text', 'response-start', 'response-end']);
  });

  it('a TTS URL on another host is never fetched', async () => {
    const { fx, ha } = await setup();
    const errors: string[] = [];
    fx.sat.on('error', (c) => errors.push(c));
    fx.sat.openStream({ streamId: 2, trigger: 'button', preRollMs: 0 });
    await until(() => ha.rec.requests.length === 1);
    ha.event(E.STT_END, { text: 'x' });
    ha.event(E.TTS_END, { url: 'http://192.0.2.77:8123/api/tts_proxy/x.wav' });
    ha.event(E.RUN_END);
    await until(() => errors.length === 1);
    expect(errors).toEqual(['ESPHOME_TTS_FOREIGN_HOST']);
    expect(fx.tts.fetched).toEqual([]);
    await until(() => ha.rec.announceFinished.length === 1);
    expect(ha.rec.announceFinished).toEqual([false]);
  });

  it('HA ERROR + RUN_END ends the run with the code; an aborted stream sends start=false and its reply is not fetched', async () => {
    const { fx, ha } = await setup();
    const errors: string[] = [];
    fx.sat.on('error', (c) => errors.push(c));
    fx.sat.openStream({ streamId: 3, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
    await until(() => ha.rec.requests.length === 1);
    ha.event(E.ERROR, { code: 'stt-no-text-recognized', message: 'no text' });
    ha.event(E.RUN_END);
    await until(() => errors.length === 1);
    expect(errors).toEqual(['HA_STT_NO_TEXT_RECOGNIZED']);

    const s = fx.sat.openStream({ streamId: 4, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
    await until(() => ha.rec.requests.length === 2);
    s.write(frame());
    await until(() => ha.rec.audioBytes > 0);
    s.abort('mute');
    await until(() => ha.rec.requests.length === 3);
    expect(ha.rec.requests[2]).toMatchObject({ start: false });
    const bytes = ha.rec.audioBytes;
    s.write(frame());
    ha.event(E.TTS_END, { url: fx.tts.url('late') });
    ha.event(E.RUN_END);
    await until(() => ha.rec.announceFinished.length >= 1);
    expect(ha.rec.audioBytes).toBe(bytes);
    expect(fx.tts.fetched).toEqual([]);
  });

  it('announcement: preannounce then media fetched, played, AnnounceFinished; start_conversation asks for a follow-up', async () => {
    const { fx, ha } = await setup();
    const seen: string[] = [];
    fx.sat.on('notification', (k) => seen.push(`notification:${k}`));
    fx.sat.on('follow-up-request', () => seen.push('follow-up-request'));
    let playedId: number | null = null;
    fx.sat.on('response-audio', (id, pcm) => {
      playedId = id;
      seen.push(`audio:${pcm.samples.length}`);
    });
    const done = ha.client.voiceAssistant.announce(
      { mediaId: fx.tts.url('media'), preannounceMediaId: fx.tts.url('chime'), text: 'dinner', startConversation: true },
      { timeoutMs: 5000 },
    );
    await until(() => playedId !== null);
    expect(fx.tts.fetched.sort()).toEqual(['/tts/chime.wav', '/tts/media.wav']);
    expect(playedId!).toBeLessThan(0);
    fx.sat.played(playedId!);
    await expect(done).resolves.toBe(true);
    expect(seen).toEqual(['notification:announcement', 'audio:6400', 'follow-up-request']);
  });

  it('timers from HA count down and ring; wake-word configuration round trip', async () => {
    const { fx, ha } = await setup();
    const timers: number[] = [];
    const rings: string[] = [];
    fx.sat.on('timers', (t) => timers.push(t.length));
    fx.sat.on('notification', (k, label) => rings.push(`${k}:${label}`));
    ha.client.voiceAssistant.sendTimerEvent({ eventType: 0, timerId: 't1', name: 'pasta', totalSeconds: 600, secondsLeft: 600, isActive: true } as never);
    await until(() => timers.length === 1);
    ha.client.voiceAssistant.sendTimerEvent({ eventType: 3, timerId: 't1', name: 'pasta', totalSeconds: 600, secondsLeft: 0, isActive: false } as never);
    await until(() => rings.length === 1);
    expect(rings).toEqual(['timer:pasta']);
    expect(timers).toEqual([1, 0]);

    const cfg = await ha.client.voiceAssistant.configuration({ refresh: true });
    expect(cfg).toMatchObject({ activeWakeWords: ['alexa'], maxActiveWakeWords: 1 });
    ha.client.voiceAssistant.setActiveWakeWords(['hey_jarvis']);
    await until(() => fx.controls.wakeWords().active[0] === 'hey_jarvis');
  });
});

describe('one voice owner', () => {
  it('a second key holder on another address that subscribes later gets no request and no audio; it gets voice only once the owner left', async () => {
    const { fx, ha } = await setup();
    const late = await RawClient.open(fx.sat.port, 'noise', '127.0.0.2');
    late.startNoise(fx.psk);
    await until(() => late.encrypted, 3000, 'late handshake');
    late.send(encodeMessage(HelloRequestSchema, { clientInfo: 'late', apiVersionMajor: 1, apiVersionMinor: 14 }));
    late.send(encodeMessage(SubscribeVoiceAssistantRequestSchema, { subscribe: true, flags: 1 }));
    await until(() => fx.logs.some((l) => l.startsWith('esphome ESPHOME_VOICE_OWNER_TAKEN: 127.0.0.2')), 3000, 'refusal line');
    for (let id = 10; id < 12; id++) {
      const s = fx.sat.openStream({ streamId: id, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
      s.write(new Int16Array(4096).fill(5));
      await until(() => ha.rec.audioBytes === (id - 9) * 8192, 3000, 'owner audio');
      ha.event(E.RUN_END);
    }
    const voiceTypes = (c: RawClient) => c.received.filter((m) => m.type === 90 || m.type === 106);
    expect(voiceTypes(late)).toHaveLength(0);
    expect(fx.sat.destination).toBe('esphome://homeassistant@127.0.0.1');

    const disconnected = new Promise<string>((r) => fx.sat.once('disconnected', (c) => r(c)));
    await ha.close();
    await disconnected;
    expect(fx.sat.connected).toBe(false);
    late.send(encodeMessage(SubscribeVoiceAssistantRequestSchema, { subscribe: true, flags: 1 }));
    await until(() => fx.sat.connected, 3000, 'new owner');
    expect(fx.sat.destination).toBe('esphome://homeassistant@127.0.0.2');
    fx.sat.openStream({ streamId: 20, trigger: 'button', preRollMs: 0 }).write(new Int16Array(1024));
    await until(() => late.received.some((m) => m.type === 90), 3000, 'request at the new owner');
    late.send(encodeMessage(VoiceAssistantResponseSchema, { port: 0 }));
    await until(() => late.received.some((m) => m.type === 106), 3000, 'audio at the new owner');
    late.close();
  });

  it('Home Assistant reconnecting from the same address with the key takes voice over at once; the old connection is closed', async () => {
    const { fx, ha } = await setup();
    const again = await connectPeer(fx.sat.port, fx.pskB64);
    peers.push(again);
    await until(() => fx.logs.some((l) => l.startsWith('esphome ESPHOME_REPLACED:')), 3000, 'old connection closed');
    await until(() => fx.sat.connected, 3000, 'owner again');
    fx.sat.openStream({ streamId: 30, trigger: 'button', preRollMs: 0 }).write(new Int16Array(1024));
    await until(() => again.rec.audioBytes === 2048, 3000, 'audio on the new connection');
    expect(ha.rec.audioBytes).toBe(0);
  });

  it('plaintext (--esphome-plaintext) works for esphome-client without a key; HA mute switch can mute but not unmute a relay', async () => {
    const { fx, ha } = await setup({ plaintext: true, hardwareMute: true });
    expect(fx.sat.encrypted).toBe(false);
    await until(() => ha.rec.entities.length >= 5, 3000, 'entity list');
    const mute = entityId('switch', 'mute');
    ha.client.command(mute as never, { state: true } as never);
    await until(() => fx.controls.muted(), 3000, 'muted by HA');
    ha.client.command(mute as never, { state: false } as never);
    await new Promise((r) => setTimeout(r, 150));
    expect(fx.controls.muted()).toBe(true);
  });
});
