import { constants } from 'node:os';
import type { Chip, ChipInfoHandle, Libgpiod2, LineConfig, LineRequest, LineSettings, RequestConfig } from '../drivers/gpio/libgpiod2-ffi.ts';
import type { FakeGpioWorld } from './fake-gpio.ts';

/**
 * A fake of libgpiod's v2 C API (the `Libgpiod2` interface) over the shared FakeGpioWorld
 * (lines keyed `chip:offset`), behaving as libgpiod 2.2 and the kernel do: enums start at
 * 1 and unknown values are EINVAL, active-low inverts in the kernel (values are logical),
 * a busy line fails the request with EBUSY, failed calls return -1 / NULL and set errno.
 * It also catches what would be memory errors in C: a handle used after it was freed or
 * released throws, and `live()` counts what was never freed.
 */
export interface FakeLineRequestRecord {
  key: string;
  direction: 'as-is' | 'input' | 'output';
  bias: 'as-is' | 'disabled' | 'up' | 'down';
  activeLow: boolean;
  consumer: string | undefined;
  /** The logical value an output was requested with. */
  initial: number | undefined;
  released: boolean;
}

const DIRECTIONS: Record<number, 'as-is' | 'input' | 'output'> = { 1: 'as-is', 2: 'input', 3: 'output' };
const BIASES: Record<number, FakeLineRequestRecord['bias'] | 'unknown'> = { 1: 'as-is', 2: 'unknown', 3: 'disabled', 4: 'up', 5: 'down' };

interface Settings {
  kind: 'settings';
  freed: boolean;
  direction: 'as-is' | 'input' | 'output';
  bias: FakeLineRequestRecord['bias'];
  activeLow: boolean;
  outputValue: number;
}

export interface FakeLibgpiod2 extends Libgpiod2 {
  /** Every line request made, in order. */
  readonly requests: FakeLineRequestRecord[];
  /** Objects allocated and not yet freed/closed/released, by kind. */
  live(): Record<string, number>;
  /** Makes the next call of this name fail (returning -1 or NULL, errno EIO). */
  failNext(call: keyof Libgpiod2): void;
}

export function createFakeLibgpiod2(world: FakeGpioWorld, chips: { name: string; label: string }[], opts: { devDir?: string; version?: string } = {}): FakeLibgpiod2 {
  const devDir = opts.devDir ?? '/dev';
  let errno = 0;
  const failing = new Set<string>();
  const liveObjects = new Set<{ kind: string; freed: boolean }>();
  const requests: FakeLineRequestRecord[] = [];
  const fail = (call: string) => {
    if (!failing.has(call)) return false;
    failing.delete(call);
    errno = constants.errno.EIO;
    return true;
  };
  const alloc = <T extends { kind: string; freed: boolean }>(o: T): T => (liveObjects.add(o), o);
  const use = <T extends { kind: string; freed: boolean }>(h: unknown, kind: string): T => {
    const o = h as T;
    if (!o || o.kind !== kind) throw new Error(`fake libgpiod2: expected a ${kind}, got ${o ? o.kind : 'NULL'}`);
    if (o.freed) throw new Error(`fake libgpiod2: ${kind} used after it was freed`);
    return o;
  };
  const free = (h: unknown, kind: string) => {
    const o = use<{ kind: string; freed: boolean }>(h, kind);
    o.freed = true;
    liveObjects.delete(o);
  };
  const setting = (s: LineSettings, key: 'direction' | 'bias', value: number, table: Record<number, string>): number => {
    const st = use<Settings>(s, 'settings');
    const v = table[value];
    if (!v || v === 'unknown') {
      errno = constants.errno.EINVAL;
      return -1;
    }
    (st as unknown as Record<string, string>)[key] = v;
    return 0;
  };

  const lib: FakeLibgpiod2 = {
    library: 'fake-libgpiod.so.3',
    requests,
    live() {
      const out: Record<string, number> = {};
      for (const o of liveObjects) out[o.kind] = (out[o.kind] ?? 0) + 1;
      return out;
    },
    failNext: (call) => failing.add(call),
    errno: () => errno,
    apiVersion: () => opts.version ?? '2.2.1',
    chipOpen(path) {
      const chip = chips.find((c) => `${devDir}/${c.name}` === path);
      if (!chip || fail('chipOpen')) {
        if (!chip) errno = constants.errno.ENOENT;
        return null;
      }
      return alloc({ kind: 'chip', freed: false, chip }) as unknown as Chip;
    },
    chipClose: (c) => free(c, 'chip'),
    chipGetInfo(c) {
      const { chip } = use<{ kind: string; freed: boolean; chip: { name: string; label: string } }>(c, 'chip');
      if (fail('chipGetInfo')) return null;
      return alloc({ kind: 'chip-info', freed: false, ...chip }) as unknown as ChipInfoHandle;
    },
    chipInfoGetName: (i) => use<{ kind: string; freed: boolean; name: string }>(i, 'chip-info').name,
    chipInfoGetLabel: (i) => use<{ kind: string; freed: boolean; label: string }>(i, 'chip-info').label,
    chipInfoFree: (i) => free(i, 'chip-info'),
    lineSettingsNew: () =>
      fail('lineSettingsNew') ? null : (alloc<Settings>({ kind: 'settings', freed: false, direction: 'as-is', bias: 'as-is', activeLow: false, outputValue: 0 }) as unknown as LineSettings),
    lineSettingsFree: (s) => free(s, 'settings'),
    lineSettingsSetDirection: (s, d) => (fail('lineSettingsSetDirection') ? -1 : setting(s, 'direction', d, DIRECTIONS)),
    lineSettingsSetBias: (s, b) => (fail('lineSettingsSetBias') ? -1 : setting(s, 'bias', b, BIASES)),
    lineSettingsSetOutputValue(s, v) {
      const st = use<Settings>(s, 'settings');
      if (fail('lineSettingsSetOutputValue')) return -1;
      if (v !== 0 && v !== 1) {
        errno = constants.errno.EINVAL;
        return -1;
      }
      st.outputValue = v;
      return 0;
    },
    lineSettingsSetActiveLow(s, activeLow) {
      use<Settings>(s, 'settings').activeLow = activeLow;
    },
    lineConfigNew: () => (fail('lineConfigNew') ? null : (alloc({ kind: 'line-config', freed: false, lines: new Map<number, Settings>() }) as unknown as LineConfig)),
    lineConfigFree: (c) => free(c, 'line-config'),
    lineConfigAddLineSettings(c, offsets, count, s) {
      const cfg = use<{ kind: string; freed: boolean; lines: Map<number, Settings> }>(c, 'line-config');
      const st = use<Settings>(s, 'settings');
      if (fail('lineConfigAddLineSettings')) return -1;
      // libgpiod copies the settings: later changes to `s` do not reach the config.
      for (const offset of offsets.subarray(0, count)) cfg.lines.set(offset, { ...st });
      return 0;
    },
    requestConfigNew: () => (fail('requestConfigNew') ? null : (alloc({ kind: 'request-config', freed: false, consumer: undefined as string | undefined }) as unknown as RequestConfig)),
    requestConfigFree: (c) => free(c, 'request-config'),
    requestConfigSetConsumer(c, consumer) {
      use<{ kind: string; freed: boolean; consumer?: string }>(c, 'request-config').consumer = consumer;
    },
    chipRequestLines(c, rc, lc) {
      const { chip } = use<{ kind: string; freed: boolean; chip: { name: string } }>(c, 'chip');
      const consumer = rc ? use<{ kind: string; freed: boolean; consumer?: string }>(rc, 'request-config').consumer : undefined;
      const { lines } = use<{ kind: string; freed: boolean; lines: Map<number, Settings> }>(lc, 'line-config');
      if (fail('chipRequestLines')) return null;
      const taken: string[] = [];
      const records: FakeLineRequestRecord[] = [];
      for (const [offset, st] of lines) {
        const key = `${chip.name}:${offset}`;
        try {
          world.request(key);
        } catch {
          for (const k of taken) world.release(k);
          errno = constants.errno.EBUSY;
          return null;
        }
        taken.push(key);
        const direction = st.direction;
        if (direction === 'output') world.write(key, (st.outputValue ^ (st.activeLow ? 1 : 0)) as 0 | 1);
        if (st.bias === 'up' || st.bias === 'down') world.bias.set(key, st.bias);
        records.push({ key, direction, bias: st.bias, activeLow: st.activeLow, consumer, initial: direction === 'output' ? st.outputValue : undefined, released: false });
      }
      requests.push(...records);
      const byOffset = new Map([...lines.keys()].map((o, i) => [o, { key: taken[i]!, settings: lines.get(o)!, record: records[i]! }]));
      return alloc({ kind: 'request', freed: false, byOffset }) as unknown as LineRequest;
    },
    lineRequestGetValue(r, offset) {
      const line = requestLine(r, offset);
      if (!line) return -1;
      if (fail('lineRequestGetValue')) return -1;
      try {
        return world.read(line.key) ^ (line.settings.activeLow ? 1 : 0);
      } catch {
        errno = constants.errno.EIO;
        return -1;
      }
    },
    lineRequestSetValue(r, offset, value) {
      const line = requestLine(r, offset);
      if (!line) return -1;
      if (fail('lineRequestSetValue')) return -1;
      if (line.settings.direction !== 'output' || (value !== 0 && value !== 1)) {
        errno = constants.errno.EINVAL;
        return -1;
      }
      try {
        world.write(line.key, (value ^ (line.settings.activeLow ? 1 : 0)) as 0 | 1);
        return 0;
      } catch {
        errno = constants.errno.EIO;
        return -1;
      }
    },
    lineRequestRelease(r) {
      const req = use<{ kind: string; freed: boolean; byOffset: Map<number, { key: string; record: FakeLineRequestRecord }> }>(r, 'request');
      for (const { key, record } of req.byOffset.values()) {
        world.release(key);
        record.released = true;
      }
      free(r, 'request');
    },
  };

  function requestLine(r: LineRequest, offset: number) {
    const req = use<{ kind: string; freed: boolean; byOffset: Map<number, { key: string; settings: Settings }> }>(r, 'request');
    const line = req.byOffset.get(offset);
    if (!line) errno = constants.errno.EINVAL;
    return line;
  }
  return lib;
}
