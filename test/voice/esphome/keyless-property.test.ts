import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DeviceInfoRequestSchema, HelloRequestSchema, ListEntitiesRequestSchema, SubscribeStatesRequestSchema, SubscribeVoiceAssistantRequestSchema,
  VoiceAssistantResponseSchema,
} from '../../../src/voice/esphome/generated/api_pb.ts';
import { encodeMessage } from '../../../src/voice/esphome/message-registry.ts';
import { connectPeer, until } from './support/ha-peer.ts';
import { RawClient } from './support/raw-client.ts';
import { satelliteFixture } from './support/satellite-fixture.ts';

/**
 * Invariant 8 by cryptography: while the paired HA (esphome-client, with the key) runs
 * pipelines, clients with no key or a wrong key — plaintext, wrong PSK, garbage, in any
 * order — receive 0 audio bytes and 0 entity states: no message at all beyond the Noise
 * ServerHello and the reject frame.
 */
const AUDIO = 106;
const STATE_TYPES = new Set([21, 25, 26, 27, 50, 64]); // every *StateResponse id our entities use (+ binary sensor)

type Stranger = 'plaintext' | 'wrong-key' | 'garbage' | 'forged';
type Step = { kind: 'stranger'; who: Stranger; junk: Uint8Array } | { kind: 'stream'; frames: number } | { kind: 'state' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('stranger' as const), who: fc.constantFrom<Stranger>('plaintext', 'wrong-key', 'garbage', 'forged'), junk: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ kind: fc.constant('stream' as const), frames: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('state' as const) }),
);

const askEverything = [
  encodeMessage(HelloRequestSchema, { clientInfo: 'stranger', apiVersionMajor: 1, apiVersionMinor: 14 }),
  encodeMessage(DeviceInfoRequestSchema, {}),
  encodeMessage(ListEntitiesRequestSchema, {}),
  encodeMessage(SubscribeStatesRequestSchema, {}),
  encodeMessage(SubscribeVoiceAssistantRequestSchema, { subscribe: true, flags: 1 }),
  encodeMessage(VoiceAssistantResponseSchema, { port: 0 }),
];

async function stranger(port: number, who: Stranger, junk: Uint8Array): Promise<RawClient> {
  const c = await RawClient.open(port, who === 'plaintext' ? 'plaintext' : 'noise');
  if (who === 'wrong-key') c.startNoise(randomBytes(32));
  if (who === 'garbage') c.write(Uint8Array.from([0x01, ...junk]));
  if (who === 'forged') c.startForged(askEverything, junk);
  for (const m of askEverything) c.send(m); // plaintext frames; the noise clients cannot encrypt without a session
  if (who === 'wrong-key' || who === 'garbage') c.write(junk);
  return c;
}

describe('a client without the key receives 0 audio bytes and 0 entity states (random sequences)', () => {
  it('holds for every interleaving of strangers, pipeline audio and state changes', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const fx = await satelliteFixture();
        const ha = await connectPeer(fx.sat.port, fx.pskB64);
        const strangers: RawClient[] = [];
        let streamId = 1;
        let sent = 0;
        try {
          await until(() => fx.sat.connected, 3000, 'owner');
          for (const s of steps) {
            if (s.kind === 'stranger') strangers.push(await stranger(fx.sat.port, s.who, s.junk));
            else if (s.kind === 'state') fx.controls.set({ volume: Math.random() });
            else {
              const st = fx.sat.openStream({ streamId: streamId++, trigger: 'wake', preRollMs: 0, wakeWord: 'alexa' });
              await until(() => fx.sat.activeMic?.open === true && ha.rec.requests.length >= streamId - 1, 3000, 'request');
              for (let i = 0; i < s.frames; i++) st.write(new Int16Array(1280).fill(7));
              sent += s.frames * 2560;
              await until(() => ha.rec.audioBytes === sent, 3000, 'audio at HA');
            }
          }
          await new Promise((r) => setTimeout(r, 30));
          for (const c of strangers) {
            expect(c.encrypted).toBe(false);
            expect(c.received.filter((m) => m.type === AUDIO)).toHaveLength(0);
            expect(c.received.filter((m) => STATE_TYPES.has(m.type))).toHaveLength(0);
            expect(c.received).toHaveLength(0); // not even HelloResponse or DeviceInfo
          }
          expect(ha.rec.audioBytes).toBe(sent); // the key holder got all of it
          const wrongKey = strangers.filter((c) => c.rejects.length > 0);
          for (const c of wrongKey) expect(['Handshake MAC failure', 'Bad indicator byte', 'Bad handshake error byte', 'Handshake error', 'Empty handshake message']).toContain(c.rejects[0]);
        } finally {
          for (const c of strangers) c.close();
          await ha.close();
          await fx.close();
        }
      }),
      { numRuns: 12 },
    );
  });

  it('a wrong key is told "Handshake MAC failure" and a plaintext client "Bad indicator byte", each with a coded log line', async () => {
    const fx = await satelliteFixture();
    try {
      const wrong = await RawClient.open(fx.sat.port, 'noise');
      wrong.startNoise(randomBytes(32));
      const plain = await RawClient.open(fx.sat.port, 'plaintext');
      plain.send(askEverything[0]!);
      await until(() => wrong.closed && plain.closed, 3000, 'both closed');
      expect(wrong.rejects).toEqual(['Handshake MAC failure']);
      expect(plain.received).toHaveLength(0);
      await until(() => fx.logs.filter((l) => /^esphome ESPHOME_(HANDSHAKE_FAILED|PLAINTEXT_CLIENT):/.test(l)).length === 2, 3000, 'log lines');
      const right = await RawClient.open(fx.sat.port, 'noise');
      right.startNoise(fx.psk);
      await until(() => right.encrypted, 3000, 'right key works');
      right.send(askEverything[0]!);
      await until(() => right.received.some((m) => m.type === 2), 3000, 'HelloResponse');
      right.close();
    } finally {
      await fx.close();
    }
  });
});

describe('connection slots', () => {
  it('strangers holding every slot cannot keep the key holder out', async () => {
    const { ApiServer } = await import('../../../src/voice/esphome/api-server.ts');
    const psk = randomBytes(32);
    const logs: string[] = [];
    const server = new ApiServer(
      { identity: { name: 't', friendlyName: 't', mac: '02:00:00:00:00:01', version: '0' }, psk, port: 0, host: '127.0.0.1', maxConnections: 3, log: (l) => logs.push(l) },
      { deviceInfo: () => ({}), entities: () => [], states: () => [], message: () => {}, closed: () => {} },
    );
    await server.start();
    try {
      const squatters = await Promise.all([0, 1, 2].map(() => RawClient.open(server.port, 'noise')));
      await until(() => server.connectionCount === 3, 2000, 'slots full');
      for (let i = 0; i < 2; i++) {
        const ok = await RawClient.open(server.port, 'noise');
        ok.startNoise(psk);
        await until(() => ok.encrypted, 2000, 'key holder in');
        ok.send(askEverything[0]!);
        await until(() => ok.received.some((m) => m.type === 2), 2000, 'hello answered');
      }
      expect(squatters.filter((s) => s.closed).length).toBeGreaterThanOrEqual(2);
      expect(logs.filter((l) => l.startsWith('esphome ESPHOME_EVICTED:')).length).toBeGreaterThanOrEqual(2);
      // Now every slot but one is a key holder; with all three ready, a newcomer is refused.
      const third = await RawClient.open(server.port, 'noise');
      third.startNoise(psk);
      await until(() => third.encrypted, 2000, 'third in');
      third.send(askEverything[0]!);
      await until(() => third.received.some((m) => m.type === 2), 2000, 'third hello');
      const late = await RawClient.open(server.port, 'noise');
      await until(() => late.closed, 2000, 'refused');
      expect(logs.some((l) => l.startsWith('esphome ESPHOME_TOO_MANY_CONNECTIONS:'))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
