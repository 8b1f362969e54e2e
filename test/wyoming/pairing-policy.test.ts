import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { PairingPolicy } from '../../src/voice/wyoming/pairing-policy.ts';
import { PairingStore } from '../../src/voice/wyoming/pairing-store.ts';

// Who the satellite pairs with, decided on its own (test/wyoming/pairing.test.ts drives the
// same rules through live sockets): what is written to the data dir, and who is served.
const HA = '192.168.1.10';
const ROGUE = '192.168.1.66';
const MEMORY = 10 * 60_000;

function setup(dataDir: string | null = mkdtempSync(join(tmpdir(), 'tally-pairing-policy-'))) {
  const clock = new ManualClock(1_000);
  const store = new PairingStore(dataDir);
  return { clock, store, policy: new PairingPolicy(store, clock, MEMORY), dataDir };
}

describe('Wyoming pairing policy', () => {
  it('a probe then run-satellite on a later connection pairs that host, on disk, with the wall time', () => {
    const { clock, policy, dataDir } = setup();
    policy.noteProbe(HA, 1);
    clock.advance(5_000);
    expect(policy.onRunSatellite(HA, 2)).toEqual({ owner: true, newlyPaired: true });
    const onDisk = new PairingStore(dataDir).pairing;
    expect(onDisk).toEqual({ host: HA, pairedAt: new Date(clock.wallNow()).toISOString() });
    expect(policy.pairedHost).toBe(HA);
    expect(policy.isOwner(HA)).toBe(true);
    expect(policy.isOwner(ROGUE)).toBe(false);
    // Already paired: the owner stays owner without pairing again; nobody else becomes one.
    expect(policy.onRunSatellite(HA, 3)).toEqual({ owner: true, newlyPaired: false });
    policy.noteProbe(ROGUE, 4);
    expect(policy.onRunSatellite(ROGUE, 5)).toEqual({ owner: false, newlyPaired: false });
    expect(new PairingStore(dataDir).pairing?.host).toBe(HA);
  });

  it('run-satellite on the probing connection itself does not pair (HA probes, then opens a new one)', () => {
    const { policy, store } = setup();
    policy.noteProbe(HA, 1);
    expect(policy.onRunSatellite(HA, 1)).toEqual({ owner: false, newlyPaired: false });
    expect(store.pairing).toBeNull();
    expect(policy.isOwner(HA)).toBe(false);
  });

  it('a probe from another host does not let this one pair', () => {
    const { policy, store } = setup();
    policy.noteProbe(ROGUE, 1);
    expect(policy.onRunSatellite(HA, 2)).toEqual({ owner: false, newlyPaired: false });
    expect(store.pairing).toBeNull();
  });

  it('a probe is remembered for probeMemoryMs, to the millisecond, and not longer', () => {
    const a = setup();
    a.policy.noteProbe(HA, 1);
    a.clock.advance(MEMORY);
    expect(a.policy.onRunSatellite(HA, 2).newlyPaired).toBe(true);

    const b = setup();
    b.policy.noteProbe(HA, 1);
    b.clock.advance(MEMORY + 1);
    expect(b.policy.onRunSatellite(HA, 2)).toEqual({ owner: false, newlyPaired: false });
    expect(b.store.pairing).toBeNull();
  });

  it('a fresh probe renews the memory and its connection', () => {
    const { clock, policy } = setup(null);
    policy.noteProbe(HA, 1);
    clock.advance(MEMORY);
    policy.noteProbe(HA, 2);
    clock.advance(MEMORY);
    expect(policy.onRunSatellite(HA, 2)).toEqual({ owner: false, newlyPaired: false }); // the probing connection
    expect(policy.onRunSatellite(HA, 3).newlyPaired).toBe(true);
  });

  it('remembers the last MAX_PROBES hosts: a flood of strangers forgets the oldest, a re-probe counts as new', () => {
    const { policy } = setup(null);
    policy.noteProbe(HA, 1);
    policy.noteProbe('10.0.0.1', 2);
    for (let i = 2; i < PairingPolicy.MAX_PROBES; i++) policy.noteProbe(`10.0.0.${i}`, 100 + i);
    policy.noteProbe(HA, 3); // re-probe: HA is now the newest, 10.0.0.1 the oldest
    policy.noteProbe('10.0.1.1', 200); // one over the limit: 10.0.0.1 is forgotten, HA is not
    expect(policy.onRunSatellite('10.0.0.1', 500)).toEqual({ owner: false, newlyPaired: false });
    expect(policy.onRunSatellite(HA, 501)).toEqual({ owner: true, newlyPaired: true });
  });

  it('exactly MAX_PROBES hosts are all remembered', () => {
    const { policy } = setup(null);
    for (let i = 0; i < PairingPolicy.MAX_PROBES; i++) policy.noteProbe(`10.0.0.${i}`, i);
    expect(policy.onRunSatellite('10.0.0.0', 1000).newlyPaired).toBe(true);
  });

  it('a satellite paired before (the store says so) serves its owner at once and never re-pairs', () => {
    const { clock } = setup();
    const store = new PairingStore(null, { host: HA, pairedAt: '2026-01-01T00:00:00.000Z' });
    const policy = new PairingPolicy(store, clock);
    expect(policy.pairedHost).toBe(HA);
    expect(policy.onRunSatellite(HA, 1)).toEqual({ owner: true, newlyPaired: false });
    policy.noteProbe(ROGUE, 2);
    expect(policy.onRunSatellite(ROGUE, 3)).toEqual({ owner: false, newlyPaired: false });
    expect(store.pairing?.host).toBe(HA);
  });

  it('the default probe memory is ten minutes', () => {
    const clock = new ManualClock(0);
    const policy = new PairingPolicy(new PairingStore(null), clock);
    policy.noteProbe(HA, 1);
    clock.advance(10 * 60_000 + 1);
    expect(policy.onRunSatellite(HA, 2).owner).toBe(false);
    const p2 = new PairingPolicy(new PairingStore(null), clock);
    p2.noteProbe(HA, 1);
    clock.advance(10 * 60_000);
    expect(p2.onRunSatellite(HA, 2).owner).toBe(true);
  });
});
