import { afterEach, describe, expect, it } from 'vitest';
import type { Pcm } from '../../hal/tone-player.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import { HaClient } from '../support/wyoming-ha-client.ts';
import type { WyomingSatellite } from '../../src/voice/wyoming/satellite.ts';
import { loadSession } from './captures.ts';
import { nextEvent, pairHa, ramp, ROGUE, startSatellite } from './harness.ts';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});
async function setup(opts = {}) {
  const s = await startSatellite(opts);
  cleanup.push(() => s.sat.stop());
  return s;
}
function track(c: HaClient): HaClient {
  cleanup.push(() => c.close());
  return c;
}

/** Reassembles the int16 samples carried by a client's audio-chunks. */
function micSamples(ha: HaClient): Int16Array {
  const parts = ha.received.filter((f) => f.type === 'audio-chunk').map((f) => f.payload!);
  const all = Buffer.concat(parts);
  return new Int16Array(all.buffer, all.byteOffset, all.byteLength / 2);
}

describe('WyomingSatellite: probe and info', () => {
  it('answers describe with info in the shape HA accepts, well within the 1 s probe deadline', async () => {
    const { port } = await setup();
    const { info, ms } = await HaClient.probe({ port });
    expect(ms).toBeLessThan(1000);
    const sat = info.satellite as Record<string, unknown>;
    expect(sat).toMatchObject({ name: 'Kitchen', installed: true, area: 'Kitchen', attribution: { name: 'Tally', url: '' } });
    for (const k of ['asr', 'tts', 'handle', 'intent', 'wake', 'mic', 'snd']) expect(Array.isArray(info[k])).toBe(true);
    const wake = (info.wake as { models: { name: string; languages: string[]; phrase: string }[] }[])[0]!;
    expect(wake.models[0]).toMatchObject({ name: 'alexa', languages: ['en'], phrase: 'alexa' });
  });
});

describe('WyomingSatellite: a full local-wake session', () => {
  it('wake → detection, run-pipeline, audio-start, pre-roll then live chunks; transcript; TTS; played', async () => {
    const { sat, port } = await setup();
    const connected = nextEvent(sat, 'connected');
    const ha = track(await pairHa(port));
    await connected;
    expect(sat.connected).toBe(true);
    expect(sat.pairedHost).toBe('127.0.0.1');

    const preRoll = ramp(8000); // 500 ms
    const live = ramp(3000, 8000);
    const stream = sat.openStream({ streamId: 7, trigger: 'wake', preRollMs: 500, wakeWord: 'alexa' });
    stream.write(preRoll);
    stream.write(live);
    const detection = await ha.next('detection');
    expect(detection.data).toMatchObject({ name: 'alexa', speaker: null });
    const run = await ha.next('run-pipeline');
    expect(run.data).toEqual({ start_stage: 'asr', end_stage: 'tts', restart_on_end: false });
    expect((await ha.next('audio-start')).data).toEqual({ rate: 16000, width: 2, channels: 1, timestamp: 0 });
    const firstChunk = await ha.next('audio-chunk');
    expect(firstChunk.data).toEqual({ rate: 16000, width: 2, channels: 1, timestamp: 0 });
    expect(firstChunk.payload!.byteLength).toBe(2048);

    // HA's side of the run.
    ha.send('transcribe', { language: 'en' });
    ha.send('voice-started', { timestamp: 300 });
    const transcript = nextEvent<[number, string]>(sat, 'transcript');
    const processing = nextEvent<[number]>(sat, 'processing');
    stream.end('end-of-speech');
    await ha.next('audio-stop');
    ha.send('transcript', { text: 'turn on the kitchen light' });
    expect(await transcript).toEqual([7, 'turn on the kitchen light']);
    expect(await processing).toEqual([7]);

    // Pre-roll first, every sample in order, nothing after audio-stop.
    const sent = micSamples(ha);
    expect(sent.length).toBe(11000);
    expect(Array.from(sent.subarray(0, 8000))).toEqual(Array.from(preRoll));
    expect(Array.from(sent.subarray(8000))).toEqual(Array.from(live));
    const stamps = ha.received.filter((f) => f.type === 'audio-chunk').map((f) => f.data.timestamp);
    expect(stamps.slice(0, 3)).toEqual([0, 64, 128]); // ms from stream start, not ns

    const text = nextEvent<[number, string]>(sat, 'response-text');
    const start = nextEvent<[number]>(sat, 'response-start');
    const audio = nextEvent<[number, Pcm]>(sat, 'response-audio');
    const end = nextEvent<[number]>(sat, 'response-end');
    const tts = Buffer.alloc(10 * 2048 + 1570);
    for (let i = 0; i < tts.byteLength; i++) tts[i] = (i * 7) & 0xff;
    ha.sendTts(tts, 22050, { synthesize: 'Turned on the light' });
    expect(await text).toEqual([7, 'Turned on the light']);
    expect(await start).toEqual([7]);
    const [id, pcm] = await audio;
    expect(id).toBe(7);
    expect(pcm.sampleRate).toBe(22050);
    expect(Buffer.from(pcm.samples.buffer, pcm.samples.byteOffset, pcm.samples.byteLength).equals(tts)).toBe(true);
    await ha.settle(30);
    expect(ha.types()).not.toContain('played'); // only after the device has played it
    sat.played(7);
    await ha.next('played');
    expect(await end).toEqual([7]); // the response ends when it has been heard
    sat.played(7); // a second call sends nothing more
    await ha.settle(50);
    expect(ha.types().filter((t) => t === 'played')).toHaveLength(1);
  });

  it('button trigger sends no detection; mute abort sends audio-stop at once and nothing after', async () => {
    const { sat, port } = await setup();
    const ha = track(await pairHa(port));
    const stream = sat.openStream({ streamId: 1, trigger: 'button', preRollMs: 0 });
    stream.write(ramp(2048));
    stream.abort('mute');
    stream.write(ramp(4096));
    await ha.next('audio-stop');
    await ha.settle(50);
    expect(ha.types()).not.toContain('detection');
    expect(ha.audioBytes).toBe(4096);
    const afterStop = ha.types().slice(ha.types().indexOf('audio-stop') + 1);
    expect(afterStop).not.toContain('audio-chunk');
    // HA's late reply to the aborted request is not played, but HA is not kept waiting.
    let played = false;
    sat.on('response-audio', () => (played = true));
    ha.sendTts(Buffer.alloc(4096));
    await ha.next('played');
    expect(played).toBe(false);
  });

  it('pause-satellite stops the stream with audio-stop and emits paused; run-satellite resumes', async () => {
    const { sat, port } = await setup();
    const ha = track(await pairHa(port));
    const stream = sat.openStream({ streamId: 2, trigger: 'wake', preRollMs: 500, wakeWord: 'alexa' });
    stream.write(ramp(1024));
    await ha.next('audio-chunk');
    const paused = nextEvent<[boolean]>(sat, 'paused');
    ha.send('pause-satellite');
    expect(await paused).toEqual([true]);
    await ha.next('audio-stop');
    stream.write(ramp(1024));
    await ha.settle(50);
    expect(ha.audioBytes).toBe(2048);
    expect(sat.paused).toBe(true);
    // While paused a new stream is refused.
    expect(() => sat.openStream({ streamId: 3, trigger: 'button', preRollMs: 0 })).toThrow(/paused/);
    // HA's unmute: close and reconnect with run-satellite.
    ha.close();
    const resumed = nextEvent<[boolean]>(sat, 'paused');
    const ha2 = track(await HaClient.connect({ port }));
    await ha2.runSatellite();
    expect(await resumed).toEqual([false]);
  });

  it('ping → pong with the same text; HA error ends the request with its code', async () => {
    const { sat, port } = await setup();
    const ha = track(await pairHa(port));
    ha.send('ping', { text: 'abc' });
    expect((await ha.next('pong')).data).toEqual({ text: 'abc' });
    const stream = sat.openStream({ streamId: 4, trigger: 'wake', preRollMs: 500, wakeWord: 'alexa' });
    stream.write(ramp(1024));
    const err = nextEvent<[string, number | null]>(sat, 'error');
    ha.send('error', { text: 'No text recognized', code: 'stt-no-text-recognized' });
    expect(await err).toEqual(['stt-no-text-recognized', 4]);
    stream.write(ramp(1024));
    await ha.settle(50);
    expect(ha.audioBytes).toBe(2048);
  });

  it('caps a stream the gate forgot to close: audio-stop and WYOMING_STREAM_CAPPED', async () => {
    const { sat, port } = await setup({ maxStreamMs: 1000 });
    const ha = track(await pairHa(port));
    const err = nextEvent<[string, number]>(sat, 'error');
    const stream = sat.openStream({ streamId: 5, trigger: 'button', preRollMs: 0 });
    for (let i = 0; i < 40; i++) stream.write(ramp(1000));
    expect(await err).toEqual(['WYOMING_STREAM_CAPPED', 5]);
    await ha.next('audio-stop');
    await ha.settle(50);
    expect(ha.audioBytes).toBe(16000 * 2);
  });
});

describe('WyomingSatellite: timers, announcements, follow-up', () => {
  async function paired() {
    const s = await setup();
    const ha = track(await pairHa(s.port));
    return { ...s, ha };
  }

  it('timer-started/updated/cancelled keep a local list; timer-finished rings with its name', async () => {
    const { sat, ha } = await paired();
    const changes: number[] = [];
    sat.on('timers', (t) => changes.push(t.length));
    ha.send('timer-started', { id: 't1', total_seconds: 300, name: 'pasta', start_minutes: 5 });
    ha.send('timer-updated', { id: 't1', is_active: false, total_seconds: 290 });
    ha.send('timer-started', { id: 't2', total_seconds: 1 });
    ha.send('ping', { text: 'sync' });
    await ha.next('pong');
    expect(sat.timers.map((t) => [t.id, t.active, t.remainingSeconds])).toEqual([
      ['t1', false, 290],
      ['t2', true, 1],
    ]);
    const ring = nextEvent<[string, string | null]>(sat, 'notification');
    ha.send('timer-cancelled', { id: 't2' });
    ha.send('timer-finished', { id: 't1' });
    expect(await ring).toEqual(['timer', 'pasta']);
    expect(sat.timers).toEqual([]);
    expect(changes).toEqual([1, 1, 2, 1, 0]);
  });

  it('an announcement (audio with no run) plays with a negative id and is followed by played', async () => {
    const { sat, ha } = await paired();
    const note = nextEvent<[string, string | null]>(sat, 'notification');
    const audio = nextEvent<[number, Pcm]>(sat, 'response-audio');
    ha.sendAnnouncement(Buffer.alloc(7 * 2048));
    expect(await note).toEqual(['announcement', 'Announcement']);
    const [id, pcm] = await audio;
    expect(id).toBeLessThan(0);
    expect(pcm.samples.length).toBe(7 * 1024);
    sat.played(id);
    await ha.next('played');
  });

  it('HA restarting its TTS (audio-stop, then audio-start) continues the same reply: one played, after both parts', async () => {
    const { sat, ha } = await paired();
    const stream = sat.openStream({ streamId: 5, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
    stream.write(ramp(1024));
    ha.send('transcript', { text: 'hi' });
    const parts: number[] = [];
    const ends: number[] = [];
    const notes: string[] = [];
    sat.on('response-audio', (id) => parts.push(id));
    sat.on('response-end', (id) => ends.push(id));
    sat.on('notification', (kind) => notes.push(kind));
    ha.sendTts(Buffer.alloc(2048));
    ha.sendTts(Buffer.alloc(4096));
    ha.send('ping', { text: 'sync' });
    await ha.next('pong');
    expect(parts).toEqual([5, 5]);
    expect(notes).toEqual([]); // not mistaken for an announcement
    sat.played(5);
    await ha.settle(30);
    expect(ha.types()).not.toContain('played');
    expect(ends).toEqual([]);
    sat.played(5);
    await ha.next('played');
    expect(ends).toEqual([5]);
  });

  it('a reply the device never reports as played still ends (audio length + grace), so the device cannot stay "speaking"', async () => {
    const clock = new ManualClock(0);
    const { sat, port } = await setup({ clock });
    const ha = track(await pairHa(port));
    const stream = sat.openStream({ streamId: 6, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
    stream.write(ramp(1024));
    ha.send('transcript', { text: 'hi' });
    const ends: number[] = [];
    sat.on('response-end', (id) => ends.push(id));
    const audio = nextEvent(sat, 'response-audio');
    ha.sendTts(Buffer.alloc(22050 * 2)); // 1 s
    await audio;
    clock.advance(1000 + 2999);
    expect(ends).toEqual([]);
    clock.advance(1);
    expect(ends).toEqual([6]);
    sat.played(6); // too late: nothing more happens
    await ha.settle(30);
    expect(ha.types()).not.toContain('played');
  });

  it('continue-conversation in the reply context asks for a follow-up after it played', async () => {
    const { sat, ha } = await paired();
    const stream = sat.openStream({ streamId: 9, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
    stream.write(ramp(1024));
    ha.send('transcript', { text: 'what time is it' });
    await nextEvent(sat, 'processing');
    let followUp = 0;
    sat.on('follow-up-request', () => followUp++);
    const audio = nextEvent(sat, 'response-audio');
    ha.sendTts(Buffer.alloc(2048), 22050, { synthesize: 'It is noon. Anything else?', context: { continue_conversation: true } });
    await audio;
    expect(followUp).toBe(0);
    const end = nextEvent(sat, 'response-end');
    sat.played(9);
    await ha.next('played');
    await end;
    expect(followUp).toBe(1);
  });
});

describe('WyomingSatellite: HA-initiated listening is only a follow-up request', () => {
  it('a detection from HA asks for a follow-up (the machine decides); never during a stream; never from a stranger', async () => {
    const { sat, port } = await setup({ host: '0.0.0.0' });
    const ha = track(await pairHa(port));
    let requests = 0;
    sat.on('follow-up-request', () => requests++);
    ha.send('detection', { name: null, timestamp: null });
    ha.send('ping', { text: '1' });
    await ha.next('pong');
    expect(requests).toBe(1);
    const stream = sat.openStream({ streamId: 1, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
    stream.write(ramp(1024));
    ha.send('detection', { name: null, timestamp: null });
    ha.send('ping', { text: '2' });
    await ha.next('pong');
    expect(requests).toBe(1);
    stream.end('end-of-speech');
    await HaClient.probe({ port, localAddress: ROGUE });
    const rogue = track(await HaClient.connect({ port, localAddress: ROGUE }));
    rogue.send('run-satellite');
    rogue.send('detection', { name: null, timestamp: null });
    await rogue.settle(30);
    expect(requests).toBe(1);
  });
});

describe('WyomingSatellite: connection loss and reconnect', () => {
  it('HA closing the main connection → disconnected; reconnect with run-satellite → connected again', async () => {
    const { sat, port } = await setup();
    const ha = track(await pairHa(port));
    const stream = sat.openStream({ streamId: 11, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
    const lost = nextEvent<[string]>(sat, 'disconnected');
    ha.close();
    expect((await lost)[0]).toMatch(/^WYOMING_/);
    expect(sat.connected).toBe(false);
    stream.write(ramp(1024)); // goes nowhere, throws nothing
    expect(() => sat.openStream({ streamId: 12, trigger: 'button', preRollMs: 0 })).toThrow(/connected/);
    const back = nextEvent(sat, 'connected');
    const ha2 = track(await HaClient.connect({ port }));
    await ha2.runSatellite({ ping: true });
    await back;
    expect(sat.connected).toBe(true);
    expect(ha2.audioBytes).toBe(0);
  });

  it('HA reconnecting while the old socket still looks open replaces it; an open stream ends with an error', async () => {
    const { sat, port } = await setup();
    const ha = track(await pairHa(port));
    const stream = sat.openStream({ streamId: 21, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
    stream.write(ramp(1024));
    await ha.next('audio-chunk');
    let disconnected = 0;
    let connected = 0;
    sat.on('disconnected', () => disconnected++);
    sat.on('connected', () => connected++);
    const err = nextEvent<[string, number]>(sat, 'error');
    const ha2 = track(await HaClient.connect({ port }));
    await ha2.runSatellite();
    expect(await err).toEqual(['WYOMING_CONNECTION_REPLACED', 21]);
    await ha.closedPromise;
    stream.write(ramp(1024));
    await ha2.settle(30);
    expect(ha2.audioBytes).toBe(0);
    expect(sat.connected).toBe(true);
    expect([disconnected, connected]).toEqual([0, 0]); // never offline in between
    expect(sat.closeCodes.get('WYOMING_REPLACED')).toBe(1);
  });

  it('a silent main connection is dropped (HA pings every 2 s), but not while paused', async () => {
    const clock = new ManualClock();
    const { sat, port } = await setup({ mainSilenceMs: 150, clock });
    const ha = track(await pairHa(port));
    const lost = nextEvent<[string]>(sat, 'disconnected');
    clock.advance(149);
    expect(sat.connected).toBe(true);
    clock.advance(1);
    expect(await lost).toEqual(['WYOMING_IDLE_TIMEOUT']);
    const ha2 = track(await HaClient.connect({ port }));
    await ha2.runSatellite();
    ha2.send('pause-satellite');
    await nextEvent(sat, 'paused');
    clock.advance(60_000); // far past the silence limit and every other idle deadline
    expect(sat.connected).toBe(true);
    void ha;
  });
});

describe('capture replay: the to-satellite frames of the recorded main connection', () => {
  it('our satellite answers with the reference event order (minus its pings), ms timestamps and pre-roll', async () => {
    const { sat, port } = await setup();
    const lines = loadSession();
    await HaClient.probe({ port });
    const ha = track(await HaClient.connect({ port }));
    const responses: number[] = [];
    sat.on('response-audio', (id) => responses.push(id));
    let streamId = 100;
    for (const l of lines.filter((x) => x.conn === 2)) {
      if (l.dir === 'to-satellite') {
        const parts = [Buffer.from(l.header_raw + '\n'), ...(l.data_raw ? [Buffer.from(l.data_raw)] : []), Buffer.alloc(l.payload_length)];
        ha.sendRaw(Buffer.concat(parts));
        if (l.type === 'audio-stop' || l.type === 'run-satellite' || l.type === 'transcript') await ha.settle(20);
      } else if (l.type === 'detection') {
        await ha.settle(20);
        const s = sat.openStream({ streamId: ++streamId, trigger: 'wake', preRollMs: 500, wakeWord: 'alexa' });
        s.write(ramp(8000 + 2048));
      } else if (l.type === 'played') {
        await ha.settle(20);
        sat.played(responses.shift()!);
      }
    }
    await ha.settle(50);
    const ours = ha.types().filter((t) => !['ping', 'pong', 'audio-chunk', 'audio-start', 'audio-stop'].includes(t));
    const reference = lines
      .filter((x) => x.conn === 2 && x.dir === 'from-satellite')
      .map((x) => x.type)
      .filter((t) => !['ping', 'pong', 'audio-chunk'].includes(t));
    expect(ours).toEqual(reference);
    const chunks = ha.received.filter((f) => f.type === 'audio-chunk');
    expect(chunks.every((f) => typeof f.data.timestamp === 'number' && (f.data.timestamp as number) < 60_000)).toBe(true);
    expect(sat.paused).toBe(true); // the session ends with pause-satellite
  });
});

export type { WyomingSatellite };
