import { afterEach, describe, expect, it } from 'vitest';
import { validateBoard } from '../../hal/board-definition.ts';
import { simBoard } from '../../boards/sim.ts';
import { createSimBoard, type SimBoard } from '../../hal/sim/sim-board.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import { readWavAs16kMono } from '../../hal/base/wav.ts';
import { createEchoStage } from '../../hal/aec/create-echo-stage.ts';
import type { EchoCancelStage } from '../../hal/aec/echo-cancel-stage.ts';
import { TallyDevice } from '../../src/core/device.ts';
import { MemoryMuteStore } from '../../src/core/mute/mute-store.ts';
import { defaultSettings } from '../../src/core/settings/schema.ts';
import { SimVoiceService } from '../../src/voice/sim-voice-service.ts';
import { createWakeDetector } from '../../src/wake/create-wake-detector.ts';
import type { WorkerWakeDetector } from '../../src/wake/worker-wake-detector.ts';
import { wavPath } from '../wake/golden.ts';

/**
 * Barge-in end to end on the sim board: the real openWakeWord detector, the real Speex
 * canceller, the sim room carrying the speaker's echo into the mic at real-time pace.
 */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
};
const clip = (id: string) => readWavAs16kMono(wavPath(id));
const cat = (...parts: Int16Array[]) => {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};
const rms = (x: Int16Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

interface Rig {
  clock: ManualClock;
  sim: SimBoard;
  voice: SimVoiceService;
  wake: WorkerWakeDetector;
  device: TallyDevice;
  stage: EchoCancelStage | undefined;
  detections: number[];
  close(): Promise<void>;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function build(o: { aec: boolean; guard: boolean; volume?: number }): Promise<Rig> {
  const clock = new ManualClock(0);
  const board = validateBoard(simBoard);
  const sim = createSimBoard(board, clock);
  sim.echo!.enabled = true;
  const voice = new SimVoiceService({ clock, autoRespond: false });
  const settings = { ...defaultSettings(), ...(o.volume !== undefined ? { volume: o.volume } : {}) };
  const wake = (await createWakeDetector({ wakeWords: settings.wakeWords, sensitivity: settings.sensitivity, refractoryMs: settings.refractoryMs })) as WorkerWakeDetector;
  const echo = o.aec ? await createEchoStage({ setup: board.aec, tones: sim.tones, now: () => clock.now() }) : undefined;
  if (echo && !echo.ok) throw new Error(`libspeexdsp must be installed (.ci/run does): ${echo.code}: ${echo.reason}`);
  const device = new TallyDevice({
    boardName: board.name, devices: sim, clock, settings, voice, muteStore: new MemoryMuteStore(false), wake,
    ...(echo?.ok ? { echo: echo.stage } : {}),
    selfWakeGuard: o.guard,
  });
  await device.start();
  await settle();
  const detections: number[] = [];
  wake.on('detection', () => detections.push(clock.now()));
  return {
    clock, sim, voice, wake, device, stage: echo?.ok ? echo.stage : undefined, detections,
    async close() {
      await device.stop();
      if (echo?.ok) echo.close();
    },
  };
}

/** Plays `reply` as the answer to a button request, while the room feeds `room` to the mic. */
async function replyWhile(r: Rig, reply: Int16Array, room: Int16Array, onFrame?: (atMs: number) => void): Promise<void> {
  r.device.send({ type: 'button-press' });
  await settle();
  const id = r.device.view.stream!.id;
  r.voice.simulate('processing', id);
  r.voice.simulate('response-start', id);
  r.voice.simulate('response-audio', id, { sampleRate: 16_000, channels: 1, samples: reply });
  await settle();
  expect(r.device.view.state).toBe('speaking');
  const frame = r.sim.microphone.frameSamples;
  for (let at = 0; at + frame <= room.length; at += frame) {
    r.sim.microphone.feed(room.slice(at, at + frame));
    await r.wake.flush();
    await settle();
    r.clock.advance(80);
    await settle();
    onFrame?.((at / 16));
  }
}

function roomNoise(n: number): Int16Array {
  let s = 77;
  return Int16Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) & 0x7fffffff), Math.round(((s / 0x7fffffff) * 2 - 1) * 40)));
}

/** A reply without the wake word, ~9 s. */
const plainReply = () => cat(clip('tts_negative'), clip('tts_hey_jarvis'), clip('tts_hey_mycroft'), clip('tts_negative'), clip('tts_hey_rhasspy'), clip('tts_negative'));
/** A reply that says the wake word after ~4.7 s (the canceller has converged by then). */
const gap = () => new Int16Array(8000);
const replyWithWakeWord = () => cat(clip('tts_negative'), clip('tts_hey_rhasspy'), clip('tts_negative'), gap(), clip('tts_alexa_command'), gap(), clip('tts_alexa'), gap());

describe('barge-in on the sim board (real detector, Speex canceller, sim room echo)', () => {
  it('the wake word over a reply stops it, tells the service, and opens a new gated request', async () => {
    rig = await build({ aec: true, guard: true });
    const reply = plainReply();
    const room = roomNoise(reply.length + 16_000 * 2);
    // The owner says "Alexa" 5.5 s into the reply at 0 dB speech-to-echo (echo ≈ reply × volume² × path gain).
    const owner = readWavAs16kMono(new URL('./fixtures/owner-alexa.wav', import.meta.url).pathname);
    const echoLevel = rms(reply) * 0.36 * 0.5;
    const g = echoLevel / rms(owner.filter((v) => Math.abs(v) > 200));
    const ownerAt = 16_000 * 5.5;
    for (let i = 0; i < owner.length; i++) room[ownerAt + i] += Math.round(owner[i]! * g);
    let streamOpenedAt: number | undefined;
    let convergedWhenSpoken = false;
    await replyWhile(rig, reply, room, (ms) => {
      if (ms === 5440) convergedWhenSpoken = rig!.stage!.converged;
      if (streamOpenedAt === undefined && rig!.device.view.stream?.trigger === 'wake') streamOpenedAt = ms;
    });
    expect(convergedWhenSpoken, 'the canceller converged before the owner spoke').toBe(true);
    expect(rig.detections).toHaveLength(1);
    expect(streamOpenedAt).toBeGreaterThan(5500);
    // The reply was cut, not finished; the service was told; a new stream went through the gate.
    const ends = rig.sim.recorder.records({ device: 'speaker', kind: 'end' });
    expect(ends.some((e) => (e.detail as { sound: string }).sound.startsWith('pcm:') && (e.detail as { completed: boolean }).completed === false)).toBe(true);
    expect(rig.voice.interruptedStreams).toEqual([1]);
    expect(rig.voice.playedStreams).not.toContain(1);
    expect(rig.voice.streams).toHaveLength(2);
    expect(rig.voice.streams[1]!.info).toMatchObject({ trigger: 'wake', wakeWord: 'alexa' });
    expect(rig.device.ledger.entries().at(-1)).toMatchObject({ trigger: 'wake', wakeWord: 'alexa' });
  });

  /** The device plays a reply that says "Alexa" twice, at full volume; nobody in the room speaks. */
  async function selfWakeRun(o: { aec: boolean; guard: boolean }) {
    // Full volume: the echo is loud, 20 dB and more above the room.
    rig = await build({ ...o, volume: 1 });
    const reply = replyWithWakeWord();
    let guardWhileWakeWordPlayed: boolean | undefined;
    await replyWhile(rig, reply, roomNoise(reply.length + 16_000 * 2), (ms) => {
      if (ms === 5200) guardWhileWakeWordPlayed = rig!.device.selfWakeGuard?.suppressed ?? false;
    });
    return { detections: rig.detections.length, streams: rig.voice.streams.length, guardWhileWakeWordPlayed };
  }

  it('self-wake: its own reply saying the wake word does not wake it — with AEC, the guard already lifted', async () => {
    const r = await selfWakeRun({ aec: true, guard: true });
    expect(r.guardWhileWakeWordPlayed, 'the canceller had converged: this is the AEC at work, not the guard').toBe(false);
    expect(r.detections).toBe(0);
    expect(r.streams).toBe(1);
  });

  it('self-wake fallback: without a canceller the guard keeps it deaf while it plays', async () => {
    const r = await selfWakeRun({ aec: false, guard: true });
    expect(r.guardWhileWakeWordPlayed).toBe(true);
    expect(r.detections).toBe(0);
  });

  it('a build without AEC and with the guard off fails the self-wake test (it wakes itself)', async () => {
    const r = await selfWakeRun({ aec: false, guard: false });
    expect(r.detections).toBeGreaterThan(0);
    expect(r.streams).toBeGreaterThan(1);
  });
});
