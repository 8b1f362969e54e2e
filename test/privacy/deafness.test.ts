import { describe, expect, it } from 'vitest';
import { createSimHarness, flush, type SimHarness } from '../support/sim-device.ts';

/** Build 2: while the relay is open the device proves the mic is deaf, and catches a mic that is not. */
async function muteAndWait(h: SimHarness, ms: number): Promise<void> {
  h.sim.muteButton!.press();
  await flush();
  for (let t = 0; t < ms; t += 100) await h.speak(100); // sound in the room all along
}

describe('proof of deafness while muted', () => {
  it('records "mute verified" once per muted period when the capture device gives nothing', async () => {
    const h = await createSimHarness({ settings: { deafnessCheckMs: 2000 } });
    await muteAndWait(h, 5000);
    const notes = h.device.ledger.notes();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'mute-verified', detail: { method: 'absent', senseLine: true } });
    expect(h.device.view.fault).toBeNull();
    expect(h.sim.microphone.isOpen).toBe(false);
    // Probes never feed the wake word or a stream.
    expect(h.voice.streams).toEqual([]);
    await h.device.stop();
  });

  it('a sim mic that keeps delivering audio with its power cut is caught: latched fault, nothing streams', async () => {
    const h = await createSimHarness({ settings: { deafnessCheckMs: 2000 } });
    h.sim.microphone.liveWhenUnpowered = true;
    await muteAndWait(h, 1500);
    expect(h.device.view.fault).toMatchObject({ code: 'MIC_LIVE_WHILE_MUTED', latched: true });
    expect(h.device.ledger.notes().filter((n) => n.kind === 'mute-verified')).toEqual([]);
    h.sim.muteButton!.press(); // unmute: the fault stands
    await flush();
    h.wake.trigger();
    h.sim.actionButton!.press();
    await h.speak(300);
    expect(h.device.view.state).toBe('fault');
    expect(h.voice.streams).toEqual([]);
    await h.device.stop();
  });
});
