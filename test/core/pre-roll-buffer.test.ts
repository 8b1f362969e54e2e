import { describe, expect, it } from 'vitest';
import { PreRollBuffer } from '../../src/core/gate/pre-roll-buffer.ts';

const ramp = (from: number, n: number) => Int16Array.from({ length: n }, (_, i) => from + i);

// Invariant 5: the device holds no more audio than the pre-roll, and a stream starts with
// exactly the newest pre-roll samples, in order.
describe('pre-roll ring buffer', () => {
  it('refuses a capacity that is negative or not a whole number of samples', () => {
    expect(() => new PreRollBuffer(-1)).toThrow(/bad pre-roll capacity -1/);
    expect(() => new PreRollBuffer(1.5)).toThrow(/bad pre-roll capacity 1\.5/);
    expect(() => new PreRollBuffer(Number.NaN)).toThrow(RangeError);
    expect(new PreRollBuffer(0).capacity).toBe(0);
  });

  it('with zero capacity (pre-roll off) holds nothing and never fails', () => {
    const b = new PreRollBuffer(0);
    b.push(ramp(1, 10));
    expect(b.length).toBe(0);
    expect(b.snapshot()).toEqual(new Int16Array(0));
  });

  it('keeps only the newest samples of a push larger than its capacity', () => {
    const b = new PreRollBuffer(4);
    b.push(ramp(1, 10));
    expect([...b.snapshot()]).toEqual([7, 8, 9, 10]);
    expect(b.length).toBe(4);
  });

  it('wraps around in order across many small pushes', () => {
    const b = new PreRollBuffer(5);
    for (let i = 0; i < 7; i++) b.push(ramp(i * 3 + 1, 3)); // samples 1..21
    expect([...b.snapshot()]).toEqual([17, 18, 19, 20, 21]);
  });

  it('a push that exactly fills the tail before wrapping keeps every sample', () => {
    const b = new PreRollBuffer(4);
    b.push(ramp(1, 2));
    b.push(ramp(3, 2)); // ends exactly at the end of the ring
    expect([...b.snapshot()]).toEqual([1, 2, 3, 4]);
    b.push(ramp(5, 1));
    expect([...b.snapshot()]).toEqual([2, 3, 4, 5]);
  });

  it('resizing smaller keeps the newest samples that fit; larger keeps all', () => {
    const b = new PreRollBuffer(6);
    b.push(ramp(1, 6));
    b.resize(3);
    expect(b.capacity).toBe(3);
    expect([...b.snapshot()]).toEqual([4, 5, 6]);
    b.resize(8);
    expect(b.capacity).toBe(8);
    expect([...b.snapshot()]).toEqual([4, 5, 6]);
    b.push(ramp(7, 2));
    expect([...b.snapshot()]).toEqual([4, 5, 6, 7, 8]);
  });

  it('clear zeroes what was held', () => {
    const b = new PreRollBuffer(3);
    b.push(ramp(1, 3));
    b.clear();
    expect(b.length).toBe(0);
    b.push(ramp(9, 1));
    expect([...b.snapshot()]).toEqual([9]);
  });
});
