import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TallyError } from '../../hal/base/errors.ts';
import { PairingStore, pairingPath } from '../../src/voice/wyoming/pairing-store.ts';
import { HaClient } from '../support/wyoming-ha-client.ts';
import { nextEvent, pairHa, ramp, ROGUE, startSatellite } from './harness.ts';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});
async function setup(opts = {}) {
  const s = await startSatellite({ host: '0.0.0.0', ...opts });
  cleanup.push(() => s.sat.stop());
  return s;
}
async function client(port: number, localAddress?: string) {
  const c = await HaClient.connect({ port, ...(localAddress ? { localAddress } : {}) });
  cleanup.push(() => c.close());
  return c;
}

describe('pairing: the first HA that completes setup', () => {
  it('probe then run-satellite on a new connection pairs and is written to the data dir', async () => {
    const { sat, port, dataDir } = await setup();
    const paired = nextEvent<[string]>(sat, 'paired');
    const ha = await pairHa(port);
    cleanup.push(() => ha.close());
    expect(await paired).toEqual(['127.0.0.1']);
    const file = pairingPath(dataDir!);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ host: '127.0.0.1' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(sat.destination).toBe('wyoming://homeassistant@127.0.0.1');
  });

  it('run-satellite without an earlier probe does not pair (it is not how HA sets up)', async () => {
    const { sat, port } = await setup();
    const c = await client(port);
    c.send('run-satellite');
    c.send('describe');
    await c.next('info');
    expect(sat.pairedHost).toBeNull();
    expect(sat.connected).toBe(false);
  });

  it('a rogue second client gets info and nothing else, and 0 audio bytes, during a live session', async () => {
    const { sat, port } = await setup();
    const ha = await pairHa(port);
    cleanup.push(() => ha.close());
    await HaClient.probe({ port, localAddress: ROGUE });
    const rogue = await client(port, ROGUE);
    rogue.send('run-satellite');
    rogue.send('ping', { text: 'x' });
    rogue.send('pause-satellite');
    rogue.send('timer-finished', { id: 'x' });
    rogue.send('describe');
    await rogue.next('info');
    expect(sat.paused).toBe(false);
    const stream = sat.openStream({ streamId: 1, trigger: 'wake', preRollMs: 500, wakeWord: 'alexa' });
    stream.write(ramp(16000));
    stream.end('end-of-speech');
    await ha.next('audio-stop');
    await rogue.settle(50);
    expect(ha.audioBytes).toBe(32000);
    expect(rogue.audioBytes).toBe(0);
    expect(rogue.types()).toEqual(['info']);
    expect(sat.pairedHost).toBe('127.0.0.1');
  });

  it('while HA is away, a rogue cannot take over: no connection, no audio (reference weakness 3)', async () => {
    const { sat, port } = await setup();
    const ha = await pairHa(port);
    const lost = nextEvent(sat, 'disconnected');
    ha.close();
    await lost;
    await HaClient.probe({ port, localAddress: ROGUE });
    const rogue = await client(port, ROGUE);
    rogue.send('run-satellite');
    rogue.send('ping', { text: null });
    rogue.send('describe');
    await rogue.next('info');
    expect(sat.connected).toBe(false);
    expect(() => sat.openStream({ streamId: 2, trigger: 'wake', preRollMs: 500, wakeWord: 'alexa' })).toThrow(TallyError);
    await rogue.settle(50);
    expect(rogue.audioBytes).toBe(0);
    expect(rogue.types()).toEqual(['info']);
  });

  it('the pairing survives a restart; tally pair --reset (PairingStore.reset) forgets it', async () => {
    const first = await setup();
    const ha = await pairHa(first.port);
    ha.close();
    await first.sat.stop();
    const second = await setup({ dataDir: first.dataDir });
    expect(second.sat.pairedHost).toBe('127.0.0.1');
    // A rogue doing HA's full setup dance is still not served.
    const rogue = await pairHa(second.port, ROGUE).catch(() => null);
    if (rogue) cleanup.push(() => rogue.close());
    expect(second.sat.connected).toBe(false);
    await second.sat.stop();
    expect(new PairingStore(first.dataDir!).reset()).toBe(true);
    expect(existsSync(pairingPath(first.dataDir!))).toBe(false);
    const third = await setup({ dataDir: first.dataDir });
    expect(third.sat.pairedHost).toBeNull();
  });

  it('a corrupt pairing file is an error (failing open would let any host pair)', async () => {
    const { dataDir, sat } = await setup();
    await sat.stop();
    writeFileSync(join(dataDir!, 'wyoming-pairing.json'), '{"host": ');
    expect(() => new PairingStore(dataDir!)).toThrow(TallyError);
    try {
      new PairingStore(dataDir!);
    } catch (e) {
      expect((e as TallyError).code).toBe('WYOMING_PAIRING_CORRUPT');
    }
  });

  it('strangers holding every connection slot cannot lock the paired HA out', async () => {
    const { sat, port } = await setup({ maxConnections: 3 });
    const ha0 = await pairHa(port);
    ha0.close();
    await nextEvent(sat, 'disconnected');
    for (let i = 0; i < 5; i++) await client(port, ROGUE);
    await new Promise((r) => setTimeout(r, 50));
    expect(sat.connectionCount).toBeLessThanOrEqual(3);
    const ha = await client(port);
    await ha.runSatellite();
    expect(sat.connected).toBe(true);
    expect(sat.closeCodes.get('WYOMING_EVICTED')).toBeGreaterThanOrEqual(1);
  });
});
