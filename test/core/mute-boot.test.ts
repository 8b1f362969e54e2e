import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileMuteStore } from '../../src/core/mute/mute-store.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';

describe('mute survives restart and is enforced at boot', () => {
  it('a device muted before restart boots muted: relay never closed, mic never opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-mute-'));
    const first = await createSimHarness({ muteStore: new FileMuteStore(dir) });
    first.sim.muteButton!.press();
    await flush();
    await first.device.stop();

    const second = await createSimHarness({ muteStore: new FileMuteStore(dir) });
    expect(second.device.view.state).toBe('muted');
    const relaySets = second.sim.recorder.records({ device: 'relay', kind: 'set' }).map((r) => r.detail);
    expect(relaySets).not.toContain('closed');
    expect(second.sim.recorder.records({ device: 'mic', kind: 'open' })).toHaveLength(0);
    expect(second.sim.muteLed!.isOn).toBe(true);
    await second.device.stop();
  });

  it('an unreadable mute state fails closed: muted, with a problem code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-mute-'));
    writeFileSync(join(dir, 'mute.json'), '{"muted": tru');
    const store = new FileMuteStore(dir);
    const h = await createSimHarness({ muteStore: store, start: false });
    expect(h.device.view.muted).toBe(true);
    await h.device.start();
    await flush();
    expect(h.sim.microphone.isOpen).toBe(false);
    expect(store.load()).toMatchObject({ muted: true, problem: { code: 'MUTE_STATE_CORRUPT' } });
    await h.device.stop();
  });

  it('unmuting powers the relay before the mic opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-mute-'));
    const h = await createSimHarness({ muteStore: new FileMuteStore(dir) });
    h.sim.muteButton!.press();
    await flush();
    h.sim.recorder.clear();
    h.sim.muteButton!.press();
    await flush();
    const order = h.sim.recorder.records().filter((r) => (r.device === 'relay' && r.kind === 'set') || (r.device === 'mic' && r.kind === 'open'));
    expect(order.map((r) => `${r.device}:${r.detail ?? r.kind}`)).toEqual(['relay:closed', 'mic:open']);
    await h.device.stop();
  });

  it('a relay whose sense line disagrees puts the device in fault: no capture, no stream', async () => {
    const h = await createSimHarness();
    h.sim.relay!.stick('open'); // welded open: sense reads open while commanded closed
    await flush();
    expect(h.device.view).toMatchObject({ state: 'fault', fault: { code: 'RELAY_SENSE_MISMATCH' } });
    expect(h.sim.microphone.isOpen).toBe(false);
    h.sim.actionButton!.press();
    await h.speak(400);
    expect(h.voice.streams).toHaveLength(0);
    h.sim.relay!.stick(null);
    await flush();
    expect(h.device.view.state).toBe('idle');
    expect(h.sim.microphone.isOpen).toBe(true);
    await h.device.stop();
  });
});
