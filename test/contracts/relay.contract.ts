import { describe, expect, it } from 'vitest';
import { capabilityCase, useHarness } from './use-harness.ts';
import type { Relay } from '../../hal/relay.ts';

/** Everything a Relay driver must do; run against the sim driver and every real driver's fake. */
export interface RelayHarness {
  relay: Relay;
  /** Make the next output write fail (omit if the fake cannot). */
  failNextWrite?(): void;
  cleanup?(): Promise<void>;
}

/** What the harness can do beyond the basics, declared up front. */
export interface RelayCapabilities {
  writeFaults: boolean;
}

const WRITE_FAULTS = { can: 'make a write fail', has: (h: RelayHarness) => typeof h.failNextWrite === 'function' };

export function relayContract(name: string, make: () => Promise<RelayHarness>, caps: RelayCapabilities): void {
  describe(`Relay contract: ${name}`, () => {
    const setup = useHarness(make);

    it('starts open (mic unpowered) and follows set()', async () => {
      const h = await setup();
      expect(h.relay.commanded).toBe('open');
      await h.relay.set('closed');
      expect(h.relay.commanded).toBe('closed');
      await h.relay.set('open');
      expect(h.relay.commanded).toBe('open');
    });

    it('an honest sense line agrees with the commanded position; none reads undefined', async () => {
      const h = await setup();
      for (const pos of ['closed', 'open'] as const) {
        await h.relay.set(pos);
        expect(await h.relay.readSense()).toBe(h.relay.hasSense ? pos : undefined);
      }
    });

    it('close() leaves the relay open, is idempotent, and later calls reject DEVICE_CLOSED', async () => {
      const h = await setup();
      await h.relay.set('closed');
      await h.relay.close();
      expect(h.relay.commanded).toBe('open');
      await h.relay.close();
      await expect(h.relay.set('closed')).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
    });

    capabilityCase(caps.writeFaults, setup, 'a failed write rejects DEVICE_WRITE_FAILED and does not claim the new position', WRITE_FAULTS, async (h) => {
      h.failNextWrite!();
      await expect(h.relay.set('closed')).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
      expect(h.relay.commanded).toBe('open');
    });
  });
}
