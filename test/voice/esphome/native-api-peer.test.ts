import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from './support/ha-peer.ts';
import { satelliteFixture, type Fixture } from './support/satellite-fixture.ts';

/**
 * The second published client, `@2colors/esphome-native-api` (its Noise is noise-c compiled
 * to wasm, independent of ours and of esphome-client's): it connects with the key and the
 * expected server name, reads device info, entities and states, and flips a switch; with a
 * wrong key it gets nothing.
 */
const require = createRequire(import.meta.url);
const { Client } = require('@2colors/esphome-native-api') as { Client: new (o: object) => NativeClient };

interface NativeClient {
  connected: boolean;
  initialized: boolean;
  deviceInfo: { name: string; macAddress: string; model: string } | null;
  entities: Record<string, { type: string; config: { objectId: string }; state?: { state: unknown }; setState?(s: boolean): void }>;
  connection: { on(ev: string, fn: (...a: unknown[]) => void): void };
  on(ev: string, fn: (...a: unknown[]) => void): void;
  connect(): void;
  disconnect(): void;
}

let fx: Fixture | null = null;
const clients: NativeClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await fx?.close();
  fx = null;
});

function client(port: number, key: string, name = 'tally-test'): NativeClient {
  const c = new Client({ host: '127.0.0.1', port, encryptionKey: key, expectedServerName: name, reconnect: false, clientInfo: 'native-api test peer' });
  c.on('error', () => {});
  clients.push(c);
  c.connect();
  return c;
}

describe('@2colors/esphome-native-api against the encrypted satellite', () => {
  it('with the key: device info, all entities, their states; the follow-up switch changes the device', async () => {
    fx = await satelliteFixture();
    const c = client(fx.sat.port, fx.pskB64);
    await until(() => c.initialized, 5000, 'initialized');
    expect(c.deviceInfo).toMatchObject({ name: 'tally-test', macAddress: '02:00:00:7A:11:01', model: 'Tally' });
    const byId = Object.fromEntries(Object.values(c.entities).map((e) => [e.config.objectId, e]));
    expect(Object.keys(byId).sort()).toEqual(['follow_up', 'media_player', 'mute', 'privacy_streams_today', 'volume']);
    await until(() => byId.mute!.state !== undefined && byId.volume!.state !== undefined, 3000, 'states');
    expect(byId.mute!.state).toMatchObject({ state: false });
    expect(byId.volume!.state).toMatchObject({ state: 50 });
    byId.follow_up!.setState!(true);
    await until(() => fx!.controls.followUp(), 3000, 'follow-up on');
  });

  it('with a wrong key: never authorized, no device info, no entity', async () => {
    fx = await satelliteFixture();
    const wrong = Buffer.alloc(32, 3).toString('base64');
    const c = client(fx.sat.port, wrong);
    await until(() => fx!.logs.some((l) => l.startsWith('esphome ESPHOME_HANDSHAKE_FAILED:')), 5000, 'handshake refused');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.initialized).toBe(false);
    expect(c.deviceInfo).toBeNull();
    expect(Object.keys(c.entities)).toHaveLength(0);
  });
});
