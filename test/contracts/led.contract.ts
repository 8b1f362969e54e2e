import { describe, expect, it } from 'vitest';
import { capabilityCase, useHarness } from './use-harness.ts';
import type { Led } from '../../hal/led.ts';

export interface LedHarness {
  led: Led;
  /** The level really on the line, as the fake sees it (omit if unknowable). */
  lineLevel?(): boolean;
  failNextWrite?(): void;
  cleanup?(): Promise<void>;
}

/** What the harness can do beyond the basics, declared up front. */
export interface LedCapabilities {
  writeFaults: boolean;
}

const WRITE_FAULTS = { can: 'make a write fail', has: (h: LedHarness) => typeof h.failNextWrite === 'function' };

export function ledContract(name: string, make: () => Promise<LedHarness>, caps: LedCapabilities): void {
  describe(`Led contract: ${name}`, () => {
    const setup = useHarness(make);

    it('set(on) turns it on and off', async () => {
      const h = await setup();
      await h.led.set(true);
      expect(h.led.isOn).toBe(true);
      if (h.lineLevel) expect(h.lineLevel()).toBe(true);
      await h.led.set(false);
      expect(h.led.isOn).toBe(false);
      if (h.lineLevel) expect(h.lineLevel()).toBe(false);
    });

    it('close() turns it off, is idempotent, later calls reject DEVICE_CLOSED', async () => {
      const h = await setup();
      await h.led.set(true);
      await h.led.close();
      expect(h.led.isOn).toBe(false);
      await h.led.close();
      await expect(h.led.set(true)).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
    });

    capabilityCase(caps.writeFaults, setup, 'a failed write rejects DEVICE_WRITE_FAILED and keeps the old state', WRITE_FAULTS, async (h) => {
      h.failNextWrite!();
      await expect(h.led.set(true)).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
      expect(h.led.isOn).toBe(false);
    });
  });
}
