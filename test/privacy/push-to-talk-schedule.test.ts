import { describe, expect, it } from 'vitest';
import { inMuteSchedule } from '../../src/core/mute/mute-schedule.ts';
import { ringFrame, COLORS } from '../../src/core/feedback/ring-patterns.ts';
import { createSimHarness, flush, type SimHarness } from '../support/sim-device.ts';
import { baseView } from '../ui/fakes.ts';

const at = (h: number, m = 0) => new Date(2026, 0, 5, h, m).getTime();
const hhmm = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};
/** A schedule starting `fromMin` minutes after the harness's wall clock, `lenMin` long. */
const scheduleFromNow = (h: SimHarness, fromMin: number, lenMin: number) => {
  const start = Math.ceil(h.clock.wallNow() / 60_000) * 60_000 + fromMin * 60_000;
  return { from: hhmm(start), to: hhmm(start + lenMin * 60_000) };
};

describe('scheduled hardware mute (build 3)', () => {
  it('is in force from 23:00 to 07:00 local time, across midnight', () => {
    const s = { from: '23:00', to: '07:00' };
    expect([at(22, 59), at(23), at(3), at(6, 59), at(7)].map((t) => inMuteSchedule(s, t))).toEqual([false, true, true, true, false]);
    expect(inMuteSchedule(null, at(3))).toBe(false);
  });

  it('opens the relay by itself at the start time (aborting a stream), closes it at the end; the owner mute is untouched', async () => {
    const h = await createSimHarness({ settings: { maxStreamMs: 60_000 } });
    h.clock.advance(1000);
    h.device.updateSettings({ muteSchedule: scheduleFromNow(h, 0, 2) });
    h.sim.actionButton!.press();
    await h.speak(200);
    expect(h.device.view.stream).not.toBeNull();
    h.clock.advance(59_000);
    await flush();
    expect(h.device.view).toMatchObject({ state: 'muted', muted: true, scheduledMute: true, stream: null, micPowered: false });
    expect(h.sim.relay!.commanded).toBe('open');
    expect(h.sim.muteLed!.isOn).toBe(true);
    expect(h.voice.streams[0]!.end).toMatchObject({ reason: 'mute' });
    expect(h.muteStore.load().muted).toBe(false); // the schedule is not the owner's mute
    h.sim.actionButton!.press();
    h.wake.trigger();
    await h.speak(200);
    expect(h.voice.streams).toHaveLength(1);
    h.clock.advance(120_000);
    await flush();
    expect(h.device.view).toMatchObject({ muted: false, scheduledMute: false, micPowered: true });
    expect(h.sim.relay!.commanded).toBe('closed');
    await h.device.stop();
  });

  it('is enforced at boot before the mic opens', async () => {
    const probe = await createSimHarness({ start: false });
    const schedule = scheduleFromNow(probe, -1, 10);
    const h = await createSimHarness({ settings: { muteSchedule: schedule } });
    expect(h.device.view.muted).toBe(true);
    expect(h.sim.recorder.records({ device: 'relay' }).some((r) => r.kind === 'set' && r.detail === 'closed')).toBe(false);
    expect(h.sim.recorder.records({ device: 'mic', kind: 'open' })).toEqual([]);
    await h.device.stop();
  });

  it('with the owner\'s allowance, the held action button opens one request during the schedule', async () => {
    const probe = await createSimHarness({ start: false });
    const h = await createSimHarness({ settings: { muteSchedule: scheduleFromNow(probe, -1, 10), scheduleAllowsPushToTalk: true } });
    expect(h.device.view.muted).toBe(true);
    h.sim.actionButton!.down();
    await flush();
    expect(h.device.view).toMatchObject({ muted: false, micPowered: true, state: 'listening', stream: { trigger: 'button' } });
    await h.speak(300);
    h.sim.actionButton!.up();
    await flush();
    expect(h.device.view).toMatchObject({ muted: true, micPowered: false, stream: null });
    expect(h.voice.streams[0]!.end).toMatchObject({ kind: 'end', reason: 'button-release' });
    expect(h.sim.relay!.commanded).toBe('open');
    await h.device.stop();
  });

  it('night mode never dims the mute or listening indicators', () => {
    const n = 12;
    expect(ringFrame(baseView({ state: 'muted', muted: true, night: true }), n, 0).every((p) => p.join() === COLORS.red.join())).toBe(true);
  });
});

describe('push-to-talk (build 4)', () => {
  it('wake word off; the relay closes only while the button is held, and the stream waits for the sense line', async () => {
    const h = await createSimHarness({ settings: { pushToTalk: true } });
    expect(h.device.view).toMatchObject({ pushToTalk: true, micPowered: false, state: 'idle' });
    expect(h.sim.relay!.commanded).toBe('open');
    expect(h.sim.muteLed!.isOn).toBe(true); // the red LED tells the truth: the mic is unpowered
    expect(h.wake.trigger()).toBe(false);
    await h.speak(200);
    expect(h.voice.streams).toEqual([]);
    h.sim.relay!.lieSense('open'); // the relay will not really close
    h.sim.actionButton!.down();
    await flush();
    expect(h.device.view.state).toBe('fault');
    expect(h.voice.streams).toEqual([]);
    h.sim.actionButton!.up();
    h.sim.relay!.lieSense(null);
    await flush();
    await h.device.stop();
  });

  it('a held button streams exactly while held; release ends the request', async () => {
    const h = await createSimHarness({ settings: { pushToTalk: true, preRollMs: 500 } });
    h.sim.actionButton!.down();
    await flush();
    expect(h.sim.relay!.commanded).toBe('closed');
    expect(h.device.view).toMatchObject({ state: 'listening', micPowered: true });
    await h.speak(400);
    h.sim.actionButton!.up();
    await flush();
    expect(h.device.view).toMatchObject({ state: 'thinking', micPowered: false });
    expect(h.sim.relay!.commanded).toBe('open');
    const s = h.voice.streams[0]!;
    expect(s.end).toMatchObject({ kind: 'end', reason: 'button-release' });
    expect(s.info.preRollMs).toBe(0); // the mic was unpowered before the press: no pre-roll exists
    await h.device.stop();
  });
});
