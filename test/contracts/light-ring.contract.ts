import { describe, expect, it } from 'vitest';
import { capabilityCase, useHarness } from './use-harness.ts';
import type { LightRing, RingFrame } from '../../hal/light-ring.ts';

export interface LightRingHarness {
  ring: LightRing;
  /** The frame the fake last latched, before gamma/brightness (omit if the fake only sees bytes). */
  latched?(): RingFrame | undefined;
  /** Number of completed bus writes so far. */
  writes(): number;
  failNextWrite?(): void;
  cleanup?(): Promise<void>;
}

function solid(n: number, c: [number, number, number]): RingFrame {
  return Array.from({ length: n }, () => c);
}

/** What the harness can do beyond the basics, declared up front. */
export interface LightRingCapabilities {
  writeFaults: boolean;
  /** It can read back the frame last latched (`latched`). */
  latches: boolean;
}

const WRITE_FAULTS = { can: 'make a bus write fail', has: (h: LightRingHarness) => typeof h.failNextWrite === 'function' };
const LATCHES = { can: 'read back the latched frame', has: (h: LightRingHarness) => typeof h.latched === 'function' };

export function lightRingContract(name: string, make: () => Promise<LightRingHarness>, caps: LightRingCapabilities): void {
  describe(`LightRing contract: ${name}`, () => {
    const setup = useHarness(make);

    it('show() resolves only after the frame was written to the bus', async () => {
      const h = await setup();
      const before = h.writes();
      const frame = solid(h.ring.pixelCount, [0, 40, 255]);
      await h.ring.show(frame);
      expect(h.writes()).toBe(before + 1);
      if (h.latched) expect(h.latched()).toEqual(frame);
    });

    it('rejects a frame of the wrong length or with bad values (INVALID_ARGUMENT), writing nothing', async () => {
      const h = await setup();
      const before = h.writes();
      await expect(h.ring.show(solid(h.ring.pixelCount + 1, [1, 2, 3]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(h.ring.show(solid(h.ring.pixelCount, [256, 0, 0]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(h.ring.show(solid(h.ring.pixelCount, [1.5, 0, 0]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(h.writes()).toBe(before);
    });

    capabilityCase(caps.latches, setup, 'frames latch in call order', LATCHES, async (h) => {
      const n = h.ring.pixelCount;
      const a = h.ring.show(solid(n, [255, 0, 0]));
      const b = h.ring.show(solid(n, [0, 255, 0]));
      await Promise.all([a, b]);
      expect(h.latched!()).toEqual(solid(n, [0, 255, 0]));
    });

    it('brightness is 0..1; out of range rejects INVALID_ARGUMENT', async () => {
      const h = await setup();
      await h.ring.setBrightness(0.5);
      expect(h.ring.brightness).toBeLessThanOrEqual(0.5);
      await expect(h.ring.setBrightness(1.5)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(h.ring.setBrightness(-0.1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    capabilityCase(caps.writeFaults, setup, 'a failed bus write rejects DEVICE_WRITE_FAILED (the gate then refuses to stream)', WRITE_FAULTS, async (h) => {
      h.failNextWrite!();
      await expect(h.ring.show(solid(h.ring.pixelCount, [0, 0, 255]))).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
    });

    it('close() blanks the ring, is idempotent, later calls reject DEVICE_CLOSED', async () => {
      const h = await setup();
      await h.ring.show(solid(h.ring.pixelCount, [0, 0, 255]));
      await h.ring.close();
      if (h.latched) expect(h.latched()).toEqual(solid(h.ring.pixelCount, [0, 0, 0]));
      await h.ring.close();
      await expect(h.ring.show(solid(h.ring.pixelCount, [0, 0, 255]))).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
    });
  });
}
