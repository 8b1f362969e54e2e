import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateBoard } from '../../hal/board-definition.ts';
import { simBoard } from '../../boards/sim.ts';
import { createSimBoard } from '../../hal/sim/sim-board.ts';
import type { ClosedStream } from '../../src/core/device-types.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import { TallyDevice } from '../../src/core/device.ts';
import { MemoryMuteStore } from '../../src/core/mute/mute-store.ts';
import { defaultSettings } from '../../src/core/settings/schema.ts';
import { ScriptedWakeDetector } from '../../src/wake/scripted-wake-detector.ts';
import { WyomingSatellite } from '../../src/voice/wyoming/satellite.ts';
import { HaClient } from '../support/wyoming-ha-client.ts';
import { flush, numberedSamples } from '../support/sim-device.ts';
import { pairHa, ROGUE } from './harness.ts';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** Real sockets, simulated time: waits (real ms) until `cond` holds, flushing promise callbacks. */
async function waitFor(cond: () => boolean, what: string, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await flush(2);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function setup() {
  const clock = new ManualClock(0);
  const board = validateBoard(simBoard);
  const sim = createSimBoard(board, clock);
  const sat = new WyomingSatellite({
    name: 'Kitchen',
    wakeWords: ['alexa'],
    port: 0,
    host: '0.0.0.0',
    zeroconf: false,
    clock,
    dataDir: mkdtempSync(join(tmpdir(), 'tally-wyoming-dev-')),
  });
  const wake = new ScriptedWakeDetector('alexa');
  const device = new TallyDevice({
    boardName: board.name,
    devices: sim,
    clock,
    settings: defaultSettings(),
    voice: sat,
    muteStore: new MemoryMuteStore(false),
    wake,
  });
  await device.start();
  cleanup.push(() => device.stop());
  const closed: ClosedStream[] = [];
  device.on('stream-closed', (s) => closed.push(s));
  const frameMs = (sim.microphone.frameSamples * 1000) / 16000;
  const speak = async (ms: number) => {
    for (let t = 0; t < ms; t += frameMs) {
      sim.microphone.feed(numberedSamples(sim.microphone.frameSamples));
      clock.advance(frameMs);
      await flush(1);
    }
  };
  return { clock, sim, sat, wake, device, closed, speak, port: sat.port };
}

function received(ha: HaClient, from = 0): Int16Array {
  const all = Buffer.concat(ha.received.slice(from).filter((f) => f.type === 'audio-chunk').map((f) => f.payload!));
  return new Int16Array(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength));
}

describe('the device on the sim board with the Wyoming satellite and the in-repo HA client', () => {
  it('full local-wake session: pre-roll + speech to HA only, transcript, TTS played through the speaker, played', async () => {
    const { sat, wake, device, closed, speak, port, clock, sim } = await setup();
    expect(device.view.online).toBe(false);
    const ha = await pairHa(port);
    cleanup.push(() => ha.close());
    await waitFor(() => device.view.online, 'online');
    await HaClient.probe({ port, localAddress: ROGUE });
    const rogue = await HaClient.connect({ port, localAddress: ROGUE });
    cleanup.push(() => rogue.close());
    rogue.send('run-satellite');

    await speak(1000);
    expect(wake.trigger()).toBe(true);
    await flush();
    await speak(800);
    await waitFor(() => ha.audioBytes >= (8000 + 800 * 16) * 2, 'pre-roll and speech at HA');
    expect(ha.types().slice(0, 4)).toEqual(['info', 'detection', 'run-pipeline', 'audio-start']);

    ha.send('transcript', { text: 'turn on the kitchen light' });
    await waitFor(() => device.view.state === 'thinking', 'thinking');
    expect(closed).toHaveLength(1);
    const stream = closed[0]!;
    expect(stream.entry).toMatchObject({ trigger: 'wake', preRollMs: 500, endReason: 'processed', destination: 'wyoming://homeassistant@127.0.0.1' });
    // Exactly what the gate sent is what HA received, pre-roll first.
    expect(Array.from(received(ha))).toEqual(Array.from(stream.audio));
    expect(stream.entry.audioBytes).toBe(ha.audioBytes);

    const tts = Buffer.alloc(22050 * 2); // 1 s of reply
    ha.sendTts(tts, 22050, { synthesize: 'Turned on the light' });
    await waitFor(() => device.view.state === 'speaking', 'speaking');
    await waitFor(() => sim.tones!.playing, 'reply playing');
    expect(ha.types()).not.toContain('played');
    // Play it out on the simulated speaker (end tone, then the 1 s reply), in clock time.
    for (let i = 0; i < 40 && !ha.types().includes('played'); i++) {
      clock.advance(100);
      await flush();
      await ha.settle(2);
    }
    await ha.next('played');
    await waitFor(() => device.view.state === 'idle', 'idle after the reply');
    expect(sat.connected).toBe(true);

    await rogue.settle(30);
    expect(rogue.audioBytes).toBe(0);
    expect(rogue.types()).toEqual([]); // it sent run-satellite: nothing comes back
  });

  it('barge-in: the wake word over the reply sends played for the old run, then detection and a new run-pipeline', async () => {
    const { wake, device, speak, port, sim } = await setup();
    const ha = await pairHa(port);
    cleanup.push(() => ha.close());
    await waitFor(() => device.view.online, 'online');
    await speak(600);
    expect(wake.trigger()).toBe(true);
    await speak(400);
    ha.send('transcript', { text: 'tell me a long story' });
    await waitFor(() => device.view.state === 'thinking', 'thinking');
    ha.sendTts(Buffer.alloc(22050 * 2 * 8), 22050, { synthesize: 'Once upon a time' }); // 8 s of reply
    await waitFor(() => device.view.state === 'speaking' && sim.tones!.playing, 'reply playing');
    await speak(800);
    const before = ha.types().length;
    wake.setSuppressed(false); // stands for a converged echo canceller
    expect(wake.trigger()).toBe(true);
    await speak(400);
    await waitFor(() => ha.types().slice(before).includes('audio-start'), 'the new request at HA');
    expect(ha.types().slice(before).filter((t) => t !== 'audio-chunk').slice(0, 4)).toEqual(['played', 'detection', 'run-pipeline', 'audio-start']);
    expect(device.view).toMatchObject({ state: 'listening', stream: { id: 2, trigger: 'wake' } });
  });

  it('an announcement plays while muted and is acknowledged, but the mic stays off and nothing streams', async () => {
    const { device, speak, port, clock, sim, wake } = await setup();
    const ha = await pairHa(port);
    cleanup.push(() => ha.close());
    await waitFor(() => device.view.online, 'online');
    device.send({ type: 'mute', muted: true });
    await waitFor(() => !sim.microphone.isOpen, 'mic closed by mute');
    ha.sendAnnouncement(Buffer.alloc(22050)); // 0.5 s
    await waitFor(() => sim.tones!.playing, 'announcement playing');
    for (let i = 0; i < 40 && !ha.types().includes('played'); i++) {
      clock.advance(100);
      await flush();
      await ha.settle(2);
    }
    await ha.next('played');
    await speak(300);
    expect(wake.trigger()).toBe(false); // the muted detector hears nothing
    // Open only for a proof-of-deafness probe (issue 14), whose frames go nowhere.
    expect(sim.microphone.isOpen).toBe(device.gate.probing);
    expect(device.view.muted).toBe(true);
    expect(ha.audioBytes).toBe(0);
    expect(ha.types()).not.toContain('run-pipeline');
  });

  it('mute during a stream: audio-stop at once, nothing after; pause-satellite shows paused; HA gone shows offline', async () => {
    const { wake, device, speak, port } = await setup();
    const ha = await pairHa(port);
    cleanup.push(() => ha.close());
    await waitFor(() => device.view.online, 'online');
    await speak(600);
    wake.trigger();
    await flush();
    await speak(300);
    await waitFor(() => ha.audioBytes > 0, 'audio at HA');
    device.send({ type: 'mute', muted: true });
    await ha.next('audio-stop');
    const bytesAtMute = ha.audioBytes;
    await speak(300);
    await ha.settle(30);
    expect(ha.audioBytes).toBe(bytesAtMute);
    expect(device.view.muted).toBe(true);
    device.send({ type: 'mute', muted: false });
    await flush();

    ha.send('pause-satellite');
    await waitFor(() => device.view.paused, 'paused');
    expect(device.view.muted).toBe(false); // a software pause, not the hardware mute
    await speak(300);
    wake.trigger();
    await speak(300);
    await ha.settle(30);
    expect(ha.types().filter((t) => t === 'detection')).toHaveLength(1);

    ha.close();
    await waitFor(() => !device.view.online, 'offline');
    const ha2 = await HaClient.connect({ port });
    cleanup.push(() => ha2.close());
    await ha2.runSatellite();
    await waitFor(() => device.view.online && !device.view.paused, 'online and resumed');
  });
});
