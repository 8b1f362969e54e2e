import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { HistoryStore } from '../../src/history/history-store.ts';
import { startOfLocalDay } from '../../src/history/time-windows.ts';
import { markerRecording, tempDirs } from './helpers.ts';

/**
 * Model-based: random adds and deletions through every recording path, all fired at once
 * without awaiting (the store must serialise them), must leave exactly the recordings a
 * simple model predicts, each receipt counting what the model says it removed, and no
 * audio file without a row.
 */
const tempDir = tempDirs();
const NOW = new Date(2026, 0, 10, 15).getTime();
const HOUR = 3_600_000;
const DEVICES = ['kitchen', 'bedroom', 'office'] as const;

type Op =
  | { kind: 'add'; hoursAgo: number; device: (typeof DEVICES)[number] }
  | { kind: 'one'; pick: number }
  | { kind: 'range'; fromHoursAgo: number; spanHours: number }
  | { kind: 'device'; device: (typeof DEVICES)[number] }
  | { kind: 'last' }
  | { kind: 'today' }
  | { kind: 'all' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), hoursAgo: fc.integer({ min: 0, max: 96 }), device: fc.constantFrom(...DEVICES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('one' as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('range' as const), fromHoursAgo: fc.integer({ min: 0, max: 100 }), spanHours: fc.integer({ min: 0, max: 48 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('device' as const), device: fc.constantFrom(...DEVICES) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'last' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'today' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'all' as const }) },
);

interface Row {
  id: number;
  startedAt: number;
  device: string;
}

describe('deletion paths against a model', () => {
  it('random interleavings leave exactly what the model predicts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        const store = HistoryStore.open({ dataDir: tempDir(), clock: new ManualClock(0, NOW) });
        let model: Row[] = [];
        let nextId = 1;
        const expected: (number | 'not-found')[] = [];
        const calls: Promise<unknown>[] = [];
        const remove = (keep: (r: Row) => boolean) => {
          const before = model.length;
          model = model.filter(keep);
          return before - model.length;
        };
        for (const op of ops) {
          if (op.kind === 'add') {
            const startedAt = NOW - op.hoursAgo * HOUR;
            model.push({ id: nextId++, startedAt, device: op.device });
            calls.push(store.addRecording(markerRecording('m', { audio: new Int16Array(8), startedAt, endedAt: startedAt + 1000, deviceId: op.device })));
            expected.push(-1);
            continue;
          }
          if (op.kind === 'one') {
            const id = model.length ? model[op.pick % model.length]!.id : 999;
            expected.push(model.some((r) => r.id === id) ? remove((r) => r.id !== id) : 'not-found');
            calls.push(store.deleteRecording(id));
          } else if (op.kind === 'range') {
            const from = NOW - op.fromHoursAgo * HOUR;
            const to = from + op.spanHours * HOUR;
            expected.push(remove((r) => !(r.startedAt >= from && r.startedAt < to)));
            calls.push(store.deleteRange(from, to));
          } else if (op.kind === 'device') {
            expected.push(remove((r) => r.device !== op.device));
            calls.push(store.deleteDevice(op.device));
          } else if (op.kind === 'last') {
            const last = [...model].sort((a, b) => b.startedAt - a.startedAt || b.id - a.id)[0];
            expected.push(remove((r) => r !== last));
            calls.push(store.deleteLast());
          } else if (op.kind === 'today') {
            const midnight = startOfLocalDay(NOW);
            expected.push(remove((r) => r.startedAt < midnight));
            calls.push(store.deleteToday());
          } else {
            expected.push(remove(() => false));
            calls.push(store.deleteAll());
          }
        }
        const settled = await Promise.allSettled(calls);
        settled.forEach((s, i) => {
          const want = expected[i]!;
          if (want === 'not-found') expect(s).toMatchObject({ status: 'rejected', reason: { code: 'HISTORY_NOT_FOUND' } });
          else if (want >= 0) expect(s).toMatchObject({ status: 'fulfilled', value: { recordings: want, audioFiles: want, verified: true } });
          else expect(s.status).toBe('fulfilled');
        });
        const onDisk = store.listRecordings({ limit: 1000 }).map((r) => r.id).sort((a, b) => a - b);
        expect(onDisk).toEqual(model.map((r) => r.id).sort((a, b) => a - b));
        expect(readdirSync(join(store.dataDir, 'audio'))).toHaveLength(model.length);
        await store.close();
      }),
      { numRuns: 25 },
    );
  });
});
