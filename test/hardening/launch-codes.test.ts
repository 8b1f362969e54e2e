import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { LAUNCH_CODE_TTL_MS, LaunchCodes } from '../../src/display/launch-codes.ts';

describe('one-time launch codes', () => {
  it('work once', () => {
    const codes = new LaunchCodes(new ManualClock(0));
    const c = codes.issue();
    expect(c).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(codes.redeem(c)).toBe(true);
    expect(codes.redeem(c)).toBe(false);
  });

  it('expire after the TTL and never accept a guess', () => {
    const clock = new ManualClock(0);
    const codes = new LaunchCodes(clock);
    const c = codes.issue();
    expect(codes.redeem('x'.repeat(22))).toBe(false);
    expect(codes.redeem(null)).toBe(false);
    clock.advance(LAUNCH_CODE_TTL_MS);
    expect(codes.redeem(c)).toBe(false);
    const d = codes.issue();
    clock.advance(LAUNCH_CODE_TTL_MS - 1);
    expect(codes.redeem(d)).toBe(true);
  });
});
