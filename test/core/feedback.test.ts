import { describe, expect, it } from 'vitest';
import type { AttentionView } from '../../src/core/attention/types.ts';
import { COLORS, isAnimated, pixelForDirection, ringFrame } from '../../src/core/feedback/ring-patterns.ts';
import { muteLedOn, tonesFor } from '../../src/core/feedback/tones.ts';

const base: AttentionView = {
  version: 0, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false,
  online: true, fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null, scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
};
const v = (over: Partial<AttentionView>): AttentionView => ({ ...base, ...over });

describe('ring patterns (design.md table)', () => {
  it('idle is dark; muted is solid red; listening is solid blue with a cyan spot toward the talker', () => {
    expect(ringFrame(v({ state: 'idle' }), 12, 0).every((p) => p.join() === '0,0,0')).toBe(true);
    expect(ringFrame(v({ state: 'muted', muted: true }), 12, 0).every((p) => p.join() === COLORS.red.join())).toBe(true);
    const frame = ringFrame(v({ state: 'listening', talkerDirection: 90 }), 12, 0);
    expect(frame.filter((p) => p.join() === COLORS.cyan.join())).toHaveLength(1);
    expect(frame[pixelForDirection(90, 12)]).toEqual(COLORS.cyan);
    expect(frame.filter((p) => p.join() === COLORS.blue.join())).toHaveLength(11);
  });

  it('thinking alternates blue and cyan over time; offline spins orange', () => {
    const a = ringFrame(v({ state: 'thinking' }), 12, 0);
    const b = ringFrame(v({ state: 'thinking' }), 12, 250);
    expect(a).not.toEqual(b);
    expect(new Set(a.map((p) => p.join()))).toEqual(new Set([COLORS.blue.join(), COLORS.cyan.join()]));
    const o1 = ringFrame(v({ state: 'offline', online: false }), 12, 0);
    const o2 = ringFrame(v({ state: 'offline', online: false }), 12, 80);
    expect(o1).not.toEqual(o2);
    expect(o1.some((p) => p[0] === 255 && p[1] === 100)).toBe(true);
  });

  it('follow-up shows a shrinking blue countdown', () => {
    const at = (t: number) => ringFrame(v({ state: 'follow-up', followUpEndsAt: 5000, followUpMs: 5000 }), 12, t).filter((p) => p.join() === COLORS.blue.join()).length;
    expect(at(0)).toBe(12);
    expect(at(2500)).toBe(6);
    expect(at(4999)).toBe(1);
  });

  it('animated states are exactly the moving ones', () => {
    expect(isAnimated(v({ state: 'listening' }))).toBe(false);
    expect(isAnimated(v({ state: 'muted' }))).toBe(false);
    expect(isAnimated(v({ state: 'thinking' }))).toBe(true);
  });
});

describe('tones and the red LED', () => {
  const on = { startTone: true, endTone: true };
  it('start tone on a new wake/button stream, end tone when the request is complete; settings turn them off', () => {
    const listening = v({ state: 'listening', stream: { id: 1, trigger: 'wake', triggeredAt: 0 } });
    expect(tonesFor(base, listening, on)).toEqual(['start']);
    expect(tonesFor(base, listening, { startTone: false, endTone: true })).toEqual([]);
    const thinking = v({ state: 'thinking', lastStreamEnd: { id: 1, reason: 'processed' } });
    expect(tonesFor(listening, thinking, on)).toEqual(['end']);
    expect(tonesFor(listening, thinking, { startTone: true, endTone: false })).toEqual([]);
  });
  it('mute on/off tones always play; a muted abort plays no end tone', () => {
    const listening = v({ state: 'listening', stream: { id: 1, trigger: 'button', triggeredAt: 0 } });
    const muted = v({ state: 'muted', muted: true, lastStreamEnd: { id: 1, reason: 'mute' } });
    expect(tonesFor(listening, muted, on)).toEqual(['mute-on']);
    expect(tonesFor(muted, base, on)).toEqual(['mute-off']);
    expect(muteLedOn(muted)).toBe(true);
    expect(muteLedOn(base)).toBe(false);
  });
});
