import { diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto';
import { validateBoard } from '../hal/board-definition.ts';
import { simBoard } from '../boards/sim.ts';
import { createSimBoard } from '../hal/sim/sim-board.ts';
import { SystemClock } from '../hal/base/clock.ts';
import { TallyDevice } from '../src/core/device.ts';
import { MemoryMuteStore } from '../src/core/mute/mute-store.ts';
import { defaultSettings } from '../src/core/settings/schema.ts';
import { ScriptedWakeDetector } from '../src/wake/scripted-wake-detector.ts';
import { EsphomeSatellite } from '../src/voice/esphome/satellite.ts';
import { MemoryControls } from '../src/voice/esphome/satellite-controls.ts';
import { HelloRequestSchema, SubscribeVoiceAssistantRequestSchema, VoiceAssistantAudioSchema, VoiceAssistantEventResponseSchema, VoiceAssistantResponseSchema } from '../src/voice/esphome/generated/api_pb.ts';
import { encodeMessage } from '../src/voice/esphome/message-registry.ts';
import { NoiseServerFraming } from '../src/voice/esphome/noise-server-framing.ts';
import { NNpsk0Handshake } from '../src/voice/esphome/noise-handshake.ts';
import { encodePlaintextFrame } from '../src/voice/esphome/plaintext-frame.ts';
import { encodeNoiseFrame } from '../src/voice/esphome/noise-frame.ts';
import { RawClient } from '../test/voice/esphome/support/raw-client.ts';
import { run as runWyoming } from './wyoming.bench.ts';
import { measured, stated, summarize, type BenchResult } from './types.ts';

export const suite = 'esphome';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FRAME_MS = 80;
const HELLO = encodeMessage(HelloRequestSchema, { clientInfo: 'bench', apiVersionMajor: 1, apiVersionMinor: 14 });

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * ESPHome native API: (1) connect + Noise handshake + Hello round trip, against the same
 * with plaintext framing; (2) wake → first VoiceAssistantAudio on HA's socket through the
 * whole device on the sim board, against the Wyoming path measured in the same run;
 * (3) the cost of encrypting one 80 ms mic frame, as a share of the frame.
 */
export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  out.push(...(await handshake(quick ? 10 : 100)));
  const wy = await runWyoming({ quick });
  out.push(...(await wakeToAudio(quick ? 5 : 40, wy)));
  out.push(...encryptionCost(quick ? 2000 : 20000));
  return out;
}

async function handshake(rounds: number): Promise<BenchResult[]> {
  const psk = randomBytes(32);
  const noise: number[] = [];
  const plain: number[] = [];
  for (const mode of ['noise', 'plaintext'] as const) {
    const sat = benchSatellite(mode === 'noise' ? psk : null);
    await sat.start();
    try {
      for (let i = -3; i < rounds; i++) {
        const t0 = performance.now();
        const c = await RawClient.open(sat.port, mode);
        if (mode === 'noise') {
          c.startNoise(psk);
          await until(() => c.encrypted, 2000, 'handshake');
        }
        c.send(HELLO);
        await until(() => c.received.some((m) => m.type === 2), 2000, 'HelloResponse');
        if (i >= 0) (mode === 'noise' ? noise : plain).push(performance.now() - t0); // 3 warm-up rounds
        c.close();
      }
    } finally {
      await sat.stop();
    }
  }
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const ini = new NNpsk0Handshake({ role: 'initiator', psk, prologue: new Uint8Array(0) });
    const res = new NNpsk0Handshake({ role: 'responder', psk, prologue: new Uint8Array(0) });
    res.readMessage(ini.writeMessage(new Uint8Array(0)));
    ini.readMessage(res.writeMessage(new Uint8Array(0)));
    res.split();
    cpu.push(performance.now() - t0);
  }
  // Reference: the asymmetric crypto NNpsk0 cannot avoid, straight from node:crypto —
  // one X25519 key pair per side and the one DH (ee) computed by each side.
  const bare: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const a = generateKeyPairSync('x25519');
    const b = generateKeyPairSync('x25519');
    diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
    diffieHellman({ privateKey: b.privateKey, publicKey: a.publicKey });
    bare.push(performance.now() - t0);
  }
  const n = summarize(noise);
  const p = summarize(plain);
  const c = summarize(cpu);
  const b = summarize(bare);
  return [
    { name: 'esphome.connect_handshake_hello.p50', value: r3(n.p50), unit: 'ms', ref: measured('same connect + Hello round trip, plaintext framing, p50', r3(p.p50)), ratio: r3(n.p50 / p.p50), rounds },
    { name: 'esphome.connect_handshake_hello.p99', value: r3(n.p99), unit: 'ms', ref: measured('same connect + Hello round trip, plaintext framing, p99', r3(p.p99)), ratio: r3(n.p99 / p.p99), rounds },
    { name: 'esphome.noise_handshake_cpu_both_sides.p50', value: r3(c.p50), unit: 'ms', ref: measured('bare node:crypto: two X25519 key pairs + two diffieHellman (the handshake\'s unavoidable DH), p50', r3(b.p50)), ratio: r3(c.p50 / b.p50), rounds },
  ];
}

function benchSatellite(psk: Uint8Array | null): EsphomeSatellite {
  return new EsphomeSatellite({
    identity: { name: 'bench', friendlyName: 'bench', mac: '02:00:00:00:00:01', version: '0' },
    psk, controls: new MemoryControls(true, [{ id: 'alexa', label: 'Alexa' }]), port: 0, host: '127.0.0.1', zeroconf: false,
  });
}

/** HA played by our raw client: it answers every request with port 0 and records when audio arrives. */
async function wakeToAudio(rounds: number, wyoming: BenchResult[]): Promise<BenchResult[]> {
  const clock = new SystemClock();
  const board = validateBoard(simBoard);
  const sim = createSimBoard(board, clock);
  const psk = randomBytes(32);
  const sat = new EsphomeSatellite({
    identity: { name: 'bench', friendlyName: 'bench', mac: '02:00:00:00:00:01', version: '0' },
    psk, controls: new MemoryControls(true, [{ id: 'alexa', label: 'Alexa' }]), port: 0, host: '127.0.0.1', zeroconf: false, clock,
  });
  const wake = new ScriptedWakeDetector('alexa');
  const device = new TallyDevice({
    boardName: board.name, devices: sim, clock, settings: { ...defaultSettings(), startTone: false, endTone: false }, voice: sat,
    muteStore: new MemoryMuteStore(false), wake,
  });
  await device.start();
  const ha = await RawClient.open(sat.port, 'noise');
  ha.startNoise(psk);
  await until(() => ha.encrypted, 2000, 'handshake');
  ha.send(HELLO);
  ha.send(encodeMessage(SubscribeVoiceAssistantRequestSchema, { subscribe: true, flags: 1 }));
  await until(() => device.view.online, 2000, 'online');
  const frame = new Int16Array(320);
  const feeder = setInterval(() => sim.microphone.feed(frame), 20);
  await sleep(600);
  const wakeToAudioMs: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      await until(() => device.view.state === 'idle' || device.view.state === 'error', 5000, 'idle');
      await until(() => wake.live && !sim.tones?.playing, 3000, 'wake detector fed');
      await sleep(quick(rounds) ? 50 : 550);
      const seen = ha.received.length;
      const t0 = performance.now();
      if (!wake.trigger()) throw new Error('bench: wake refused');
      await until(() => ha.received.slice(seen).some((m) => m.type === 90), 3000, 'VoiceAssistantRequest');
      ha.send(encodeMessage(VoiceAssistantResponseSchema, { port: 0 }));
      await until(() => ha.received.slice(seen).some((m) => m.type === 106), 3000, 'first audio');
      wakeToAudioMs.push(firstAudioAt(ha, seen) - t0);
      ha.send(encodeMessage(VoiceAssistantEventResponseSchema, { eventType: 0, data: [{ name: 'code', value: 'bench' }] }));
      ha.send(encodeMessage(VoiceAssistantEventResponseSchema, { eventType: 2 }));
      await until(() => device.view.stream === null, 3000, 'stream closed');
      await sleep(20);
    }
  } finally {
    clearInterval(feeder);
    ha.close();
    await device.stop();
  }
  const e = summarize(wakeToAudioMs);
  const wy50 = wyoming.find((r) => r.name === 'wyoming.wake_to_first_audio_chunk.p50')!.value;
  const wy99 = wyoming.find((r) => r.name === 'wyoming.wake_to_first_audio_chunk.p99')!.value;
  return [
    ...wyoming,
    { name: 'esphome.wake_to_first_audio_message.p50', value: r3(e.p50), unit: 'ms', ref: measured('Wyoming wake → first audio-chunk p50, same run (ESPHome adds HA\'s VoiceAssistantResponse round trip)', wy50), ratio: r3(e.p50 / wy50), rounds },
    { name: 'esphome.wake_to_first_audio_message.p99', value: r3(e.p99), unit: 'ms', ref: measured('Wyoming wake → first audio-chunk p99, same run', wy99), ratio: r3(e.p99 / wy99), rounds },
  ];
}

const quick = (rounds: number) => rounds <= 5;

/** Arrival time of the first audio message after index `from` (RawClient stamps on receipt). */
function firstAudioAt(c: RawClient, from: number): number {
  const i = c.received.findIndex((m, k) => k >= from && m.type === 106);
  return c.receivedAt[i]!;
}

function encryptionCost(iterations: number): BenchResult[] {
  // One 80 ms frame of mic audio = 1280 samples → one 1024-sample message + one 256-sample message.
  const parts = [new Uint8Array(2048), new Uint8Array(512)].map((data) => encodeMessage(VoiceAssistantAudioSchema, { data }));
  const psk = randomBytes(32);
  const server = new NoiseServerFraming(psk, { name: 'b', mac: '020000000001' }, 65535);
  const ini = new NNpsk0Handshake({ role: 'initiator', psk, prologue: new TextEncoder().encode('NoiseAPIInit\x00\x00') });
  server.receive(Buffer.concat([encodeNoiseFrame(new Uint8Array(0)), encodeNoiseFrame(Uint8Array.from([0, ...ini.writeMessage(new Uint8Array(0))]))]));
  const time = (fn: () => void) => {
    for (let i = 0; i < 500; i++) fn();
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) fn();
    return ((performance.now() - t0) / iterations) * 1000; // µs per frame
  };
  const noiseUs = time(() => parts.forEach((p) => server.encode(p)));
  const plainUs = time(() => parts.forEach((p) => encodePlaintextFrame(p)));
  return [
    { name: 'esphome.encrypt_per_80ms_frame', value: r3(noiseUs), unit: 'us', ref: measured('plaintext framing of the same messages', r3(plainUs)), ratio: r3(noiseUs / plainUs), iterations },
    {
      name: 'esphome.encrypt_share_of_80ms_frame', value: r3((noiseUs / 1000 / FRAME_MS) * 100), unit: '%', iterations,
      ref: stated('the real-time budget: the 80 ms of audio the frame carries = 100 %', 100), ratio: noiseUs / 1000 / FRAME_MS, plaintextSharePercent: r3((plainUs / 1000 / FRAME_MS) * 100),
    },
  ];
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
