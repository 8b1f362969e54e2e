import { describe, expect, it } from 'vitest';
import { createSimHarness, flush } from '../support/sim-device.ts';
import { SelfWakeGuard } from '../../src/core/gate/self-wake-guard.ts';
import { ScriptedWakeDetector } from '../../src/wake/scripted-wake-detector.ts';
import { SimTonePlayer } from '../../hal/sim/sim-tone-player.ts';
import { SimRecorder } from '../../hal/sim/sim-recorder.ts';
import { ManualClock } from '../../hal/base/clock.ts';

/** Barge-in through the device wiring, with the scripted detector (fast, deterministic). */
describe('barge-in (device wiring)', () => {
  it('a ringing timer stops on the wake word alone, and a normal gated request opens', async () => {
    const h = await createSimHarness();
    h.voice.simulate('notification', 'timer', 'Pasta');
    await flush();
    expect(h.device.view.state).toBe('notification');
    await h.speak(160);
    expect(h.sim.tones!.playing).toBe(true); // the chime rings
    // The chime plays, so the guard (no canceller here) would deafen a real detector; the
    // scripted one stands for a converged canceller: lift the guard by hand.
    h.wake.setSuppressed(false);
    expect(h.wake.trigger()).toBe(true);
    await flush();
    expect(h.device.view).toMatchObject({ state: 'listening', notification: null, stream: { trigger: 'wake' } });
    const ends = h.sim.recorder.records({ device: 'speaker', kind: 'end' });
    expect(ends.some((e) => (e.detail as { sound: string; completed: boolean }).sound === 'chime' && !(e.detail as { completed: boolean }).completed)).toBe(true);
    await h.speak(400);
    expect(h.voice.streams).toHaveLength(1);
    expect(h.device.ledger.entries().at(-1)).toMatchObject({ trigger: 'wake' });
    // After the request the timer does not come back ringing.
    h.voice.simulate('processing', 1);
    h.voice.simulate('response-start', 1);
    h.voice.simulate('response-end', 1);
    await flush();
    expect(h.device.view.state).toBe('idle');
    await h.device.stop();
  });

  it('the wake word over a spoken reply stops it and tells the service which reply it cut', async () => {
    const h = await createSimHarness();
    h.device.send({ type: 'button-press' });
    await flush();
    h.voice.simulate('processing', 1);
    h.voice.simulate('response-start', 1);
    h.voice.simulate('response-audio', 1, { sampleRate: 16_000, channels: 1, samples: new Int16Array(16_000 * 5) });
    await flush();
    await h.speak(1000);
    expect(h.device.view.state).toBe('speaking');
    h.wake.setSuppressed(false);
    h.wake.trigger();
    await flush();
    expect(h.sim.tones!.playing).toBe(true); // now the start tone, not the reply
    expect(h.voice.interruptedStreams).toEqual([1]);
    expect(h.voice.playedStreams).toEqual([]);
    expect(h.device.view.stream).toMatchObject({ id: 2, trigger: 'wake' });
    await h.device.stop();
  });
});

describe('SelfWakeGuard', () => {
  it('deafens while playing without a canceller; with one, only until it has converged', async () => {
    const clock = new ManualClock();
    const tones = new SimTonePlayer(new SimRecorder(clock));
    const wake = new ScriptedWakeDetector('alexa');
    const calls: boolean[] = [];
    const orig = wake.setSuppressed.bind(wake);
    wake.setSuppressed = (on: boolean) => (calls.push(on), orig(on));
    const echo = { converged: false, process: (x: Int16Array) => x };
    const guard = new SelfWakeGuard(wake, tones, echo);
    const off = guard.start();
    void tones.play('chime');
    expect(guard.suppressed).toBe(true);
    echo.converged = true;
    guard.update(); // the gate calls this after every frame
    expect(guard.suppressed).toBe(false);
    tones.stop();
    expect(calls).toEqual([true, false]);
    const bare = new SelfWakeGuard(wake, tones, undefined);
    bare.start();
    void tones.play('chime');
    expect(bare.suppressed).toBe(true);
    tones.stop();
    expect(bare.suppressed).toBe(false);
    off();
  });
});
