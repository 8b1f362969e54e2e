import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { SatelliteTimers } from '../../src/voice/wyoming/timers.ts';
import { startSatellite } from './harness.ts';
import { HaClient } from '../support/wyoming-ha-client.ts';

describe('SatelliteTimers: local countdowns', () => {
  it('rings locally when HA never sends timer-finished (HA down at that moment)', () => {
    const clock = new ManualClock(0);
    const rung: string[] = [];
    const timers = new SatelliteTimers(clock, (t) => rung.push(t.id), () => {});
    timers.started('a', 10, 'tea');
    timers.started('b', 60, null);
    timers.updated('b', false, 30); // paused: must not ring
    clock.advance(10_000 + SatelliteTimers.GRACE_MS - 1);
    expect(rung).toEqual([]);
    clock.advance(1);
    expect(rung).toEqual(['a']);
    clock.advance(120_000);
    expect(rung).toEqual(['a']);
    timers.updated('b', true, 5); // resumed with 5 s left
    clock.advance(5000 + SatelliteTimers.GRACE_MS);
    expect(rung).toEqual(['a', 'b']);
    expect(timers.list()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('timer-finished from HA rings once: the local countdown is cancelled', () => {
    const clock = new ManualClock(0);
    const rung: string[] = [];
    const timers = new SatelliteTimers(clock, (t) => rung.push(t.id), () => {});
    timers.started('a', 1, null);
    expect(timers.finished('a')?.id).toBe('a');
    clock.advance(10_000);
    expect(rung).toEqual([]);
    expect(timers.finished('a')).toBeNull();
  });
});

describe('zeroconf never stops the satellite', () => {
  it('a failing publisher is logged with a code; describe still answers', async () => {
    const { sat, port, logs } = await startSatellite({
      zeroconf: async () => {
        throw new Error('multicast unavailable');
      },
    });
    try {
      const { info } = await HaClient.probe({ port });
      expect(info.satellite).toBeTruthy();
      await new Promise((r) => setTimeout(r, 10));
      expect(logs.some((l) => l.includes('WYOMING_ZEROCONF_FAILED'))).toBe(true);
    } finally {
      await sat.stop();
    }
  });

  it('publishes _wyoming._tcp with the given name and port, and unpublishes on stop', async () => {
    const published: { name: string; port: number }[] = [];
    let stopped = 0;
    const { sat, port } = await startSatellite({
      zeroconfName: 'kitchen',
      zeroconf: async (o) => {
        published.push({ name: o.name, port: o.port });
        return { stop: async () => void stopped++ };
      },
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(published).toEqual([{ name: 'kitchen', port }]);
    await sat.stop();
    expect(stopped).toBe(1);
  });
});

describe('zeroconf instance name', () => {
  it('is the device id plus the MAC of the first real interface; the device id alone without one', async () => {
    const { zeroconfInstanceName } = await import('../../src/voice/wyoming/create-satellite.ts');
    const lo = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' };
    const eth = { ...lo, address: '192.0.2.7', internal: false, mac: 'DC:A6:32:01:02:03', cidr: '192.0.2.7/24' };
    expect(zeroconfInstanceName('kitchen', { lo: [lo], eth0: [eth] })).toBe('kitchen-dca632010203');
    expect(zeroconfInstanceName('kitchen', { lo: [lo] })).toBe('kitchen');
  });
});
