import { describe, expect, it } from 'vitest';
import { buildInfoData } from '../../src/voice/wyoming/info.ts';
import { createSimHarness, flush } from '../support/sim-device.ts';

describe('the voice service knows we are muted, and cannot unmute a hardware relay', () => {
  it('Wyoming info carries the mute state (what the protocol allows)', () => {
    const info = buildInfoData({ name: 'kitchen', version: '1', wakeWords: ['alexa'], muted: true }) as { satellite: Record<string, unknown> };
    expect(info.satellite).toMatchObject({ muted: true, description: 'kitchen (Tally) — microphone muted' });
  });

  it('the device reports every mute change through reportMute; a remote mute is taken, a remote unmute refused', async () => {
    const h = await createSimHarness();
    const reports: boolean[] = [];
    (h.voice as unknown as { reportMute: (m: boolean) => void }).reportMute = (m) => reports.push(m);
    h.sim.muteButton!.press();
    await flush();
    h.sim.muteButton!.press();
    await flush();
    expect(reports).toEqual([true, false]);
    const problems: string[] = [];
    h.device.on('problem', (c) => problems.push(c));
    h.voice.simulate('mute-request', true);
    await flush();
    expect(h.device.view.muted).toBe(true);
    h.voice.simulate('mute-request', false);
    await flush();
    expect(h.device.view.muted).toBe(true);
    expect(h.sim.relay!.commanded).toBe('open');
    expect(problems).toContain('REMOTE_UNMUTE_REFUSED');
    await h.device.stop();
  });
});
