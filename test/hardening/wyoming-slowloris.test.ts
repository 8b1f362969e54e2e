import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { HaClient } from '../support/wyoming-ha-client.ts';
import { startSatellite } from '../wyoming/harness.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.on('error', reject);
  });
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

describe('slowloris on an unpaired Wyoming satellite', () => {
  it('a connection that trickles bytes but never completes a frame is closed at the idle deadline', async () => {
    const clock = new ManualClock(0);
    const { sat, port, logs } = await startSatellite({ clock, idleTimeoutMs: 10_000 });
    cleanups.push(() => sat.stop());
    const loris = await open(port);
    cleanups.push(() => loris.destroy());
    const closed = new Promise<void>((r) => loris.on('close', () => r()));
    const header = '{"type": "describe", "data_length": 0';
    for (let i = 0; i < 11; i++) {
      loris.write(header[i]!); // one byte a second: never a whole frame
      await turns();
      clock.advance(1000);
    }
    await closed;
    expect(logs.join('\n')).toMatch(/WYOMING_IDLE_TIMEOUT/);
  });

  it('with every slot held by trickling peers, Home Assistant still completes setup', async () => {
    const clock = new ManualClock(0);
    const { sat, port } = await startSatellite({ clock, maxConnections: 8, idleTimeoutMs: 10_000 });
    cleanups.push(() => sat.stop());
    const lorises: Socket[] = [];
    for (let i = 0; i < 8; i++) {
      const s = await open(port);
      s.on('error', () => {});
      s.write('{');
      lorises.push(s);
      cleanups.push(() => s.destroy());
    }
    await turns(10);
    clock.advance(1000);
    const info = await HaClient.probe({ port });
    expect(info).toBeTruthy();
    const ha = await HaClient.connect({ port });
    cleanups.push(() => ha.close());
    await ha.runSatellite();
    expect(sat.pairedHost).toBe('127.0.0.1');
  });
});
