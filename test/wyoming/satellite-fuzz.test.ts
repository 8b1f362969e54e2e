import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VoiceStream } from '../../src/core/ports/voice-stream.ts';
import { HaClient } from '../support/wyoming-ha-client.ts';
import { pairHa, ramp, ROGUE, startSatellite } from './harness.ts';

/** What HA may send (the known events plus junk), with arbitrary data. */
const haEvent = fc.record({
  type: fc.constantFrom(
    'transcript', 'synthesize', 'audio-start', 'audio-chunk', 'audio-stop', 'error', 'pause-satellite', 'run-satellite',
    'ping', 'pong', 'timer-started', 'timer-updated', 'timer-cancelled', 'timer-finished', 'detection', 'describe', 'x-unknown',
  ),
  data: fc.oneof(
    fc.constant({}),
    fc.record({ rate: fc.constantFrom(22050, 16000, 0, -1, 'x'), width: fc.constantFrom(2, 1, 3), channels: fc.constantFrom(1, 2, 5), timestamp: fc.constantFrom(null, 0) }),
    fc.record({ text: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null), fc.integer()), code: fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)) }),
    fc.record({ id: fc.oneof(fc.constantFrom('t1', 't2'), fc.integer()), total_seconds: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant('x')), is_active: fc.boolean() }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  ),
  payload: fc.option(fc.uint8Array({ maxLength: 300 }), { nil: undefined }),
});

type HaEvent = typeof haEvent extends fc.Arbitrary<infer T> ? T : never;
type DeviceOp = { op: 'open' | 'write' | 'end' | 'abort' | 'played' | 'ha'; n: number; ev?: HaEvent };
const step: fc.Arbitrary<DeviceOp> = fc.oneof(
  fc.record({ op: fc.constantFrom<'open' | 'write' | 'end' | 'abort' | 'played'>('open', 'write', 'end', 'abort', 'played'), n: fc.integer({ min: -3, max: 2000 }) }),
  fc.record({ op: fc.constant<'ha'>('ha'), n: fc.constant(0), ev: haEvent }),
);

/** HA-side rule: mic audio only between run-pipeline and audio-stop (or a pause). */
function checkMicAudioBracketed(types: string[]): void {
  let open = false;
  for (const t of types) {
    if (t === 'run-pipeline') open = true;
    else if (t === 'audio-stop') open = false;
    else if (t === 'audio-chunk') expect(open).toBe(true);
  }
}

describe('satellite under random HA events and device calls', () => {
  it('never throws, never crashes, mic audio only inside a run, strangers get nothing', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { sat, port } = await startSatellite({ host: '0.0.0.0', maxStreamMs: 1000 });
        const ha = await pairHa(port);
        await HaClient.probe({ port, localAddress: ROGUE });
        const rogue = await HaClient.connect({ port, localAddress: ROGUE });
        rogue.send('run-satellite');
        const errors: unknown[] = [];
        const onUncaught = (e: unknown) => errors.push(e);
        process.on('uncaughtException', onUncaught);
        try {
          let stream: VoiceStream | null = null;
          let id = 0;
          for (const s of steps) {
            if (s.op === 'ha') ha.send(s.ev!.type, s.ev!.data as Record<string, unknown>, s.ev!.payload ?? null);
            else if (s.op === 'open') {
              try {
                stream = sat.openStream({ streamId: ++id, trigger: s.n % 2 ? 'wake' : 'button', preRollMs: 0, wakeWord: 'alexa' });
              } catch (e) {
                expect((e as { code?: string }).code).toMatch(/^WYOMING_(NOT_CONNECTED|PAUSED)$/);
              }
            } else if (s.op === 'write') stream?.write(ramp(Math.max(0, s.n)));
            else if (s.op === 'end') stream?.end('end-of-speech');
            else if (s.op === 'abort') stream?.abort('mute');
            else sat.played(s.n);
          }
          await ha.settle(15);
          await rogue.settle(5);
          checkMicAudioBracketed(ha.types());
          expect(rogue.audioBytes).toBe(0);
          expect(rogue.received).toHaveLength(0);
          expect(errors).toEqual([]);
          // Whatever happened, the satellite still answers a probe.
          expect((await HaClient.probe({ port })).info.satellite).toBeTruthy();
        } finally {
          process.off('uncaughtException', onUncaught);
          ha.close();
          rogue.close();
          await sat.stop();
        }
      }),
      { numRuns: 25 },
    );
  });
});
