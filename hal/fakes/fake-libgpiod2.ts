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

type Obj = { kind: string; freed: boolean };
type ChipObj = Obj & { chip: { name: string; label: string } };
type InfoObj = Obj & { name: string; label: string };
type LineConfigObj = Obj & { lines: Map<number, Settings> };
type RequestConfigObj = Obj & { consumer?: string };
type RequestObj = Obj & { byOffset: Map<number, { key: string; settings: Settings; record: FakeLineRequestRecord }> };

export class FakeLibgpiod2 implements Libgpiod2 {
  readonly library = 'fake-libgpiod.so.3';
  /** Every line request made, in order. */
  readonly requests: FakeLineRequestRecord[] = [];
  readonly #world: FakeGpioWorld;
  readonly #chips: { name: string; label: string }[];
  readonly #devDir: string;
  readonly #version: string;
  #errno = 0;
  readonly #failing = new Set<string>();
  readonly #live = new Set<Obj>();

  constructor(world: FakeGpioWorld, chips: { name: string; label: string }[], opts: { devDir?: string; version?: string } = {}) {
    this.#world = world;
    this.#chips = chips;
    this.#devDir = opts.devDir ?? '/dev';
    this.#version = opts.version ?? '2.2.1';
  }

  /** Objects allocated and not yet freed/closed/released, by kind. */
  live(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const o of this.#live) out[o.kind] = (out[o.kind] ?? 0) + 1;
    return out;
  }

  /** Makes the next call of this name fail (returning -1 or NULL, errno EIO). */
  failNext(call: keyof Libgpiod2): void {
    this.#failing.add(call);
  }

  errno = (): number => this.#errno;
  apiVersion = (): string => this.#version;

  chipOpen = (path: string): Chip | null => {
    const chip = this.#chips.find((c) => `${this.#devDir}/${c.name}` === path);
    if (!chip) return this.#error(constants.errno.ENOENT, null);
    if (this.#fail('chipOpen')) return null;
    return this.#alloc<ChipObj>({ kind: 'chip', freed: false, chip }) as unknown as Chip;
  };
  chipClose = (c: Chip): void => this.#free(c, 'chip');
  chipGetInfo = (c: Chip): ChipInfoHandle | null => {
    const { chip } = this.#use<ChipObj>(c, 'chip');
    if (this.#fail('chipGetInfo')) return null;
    return this.#alloc<InfoObj>({ kind: 'chip-info', freed: false, ...chip }) as unknown as ChipInfoHandle;
  };
  chipInfoGetName = (i: ChipInfoHandle): string => this.#use<InfoObj>(i, 'chip-info').name;
  chipInfoGetLabel = (i: ChipInfoHandle): string => this.#use<InfoObj>(i, 'chip-info').label;
  chipInfoFree = (i: ChipInfoHandle): void => this.#free(i, 'chip-info');

  lineSettingsNew = (): LineSettings | null =>
    this.#fail('lineSettingsNew') ? null : (this.#alloc<Settings>({ kind: 'settings', freed: false, direction: 'as-is', bias: 'as-is', activeLow: false, outputValue: 0 }) as unknown as LineSettings);
  lineSettingsFree = (s: LineSettings): void => this.#free(s, 'settings');
  lineSettingsSetDirection = (s: LineSettings, d: number): number => (this.#fail('lineSettingsSetDirection') ? -1 : this.#setting(s, 'direction', d, DIRECTIONS));
  lineSettingsSetBias = (s: LineSettings, b: number): number => (this.#fail('lineSettingsSetBias') ? -1 : this.#setting(s, 'bias', b, BIASES));
  lineSettingsSetOutputValue = (s: LineSettings, v: number): number => {
    const st = this.#use<Settings>(s, 'settings');
    if (this.#fail('lineSettingsSetOutputValue')) return -1;
    if (v !== 0 && v !== 1) return this.#error(constants.errno.EINVAL, -1);
    st.outputValue = v;
    return 0;
  };
  lineSettingsSetActiveLow = (s: LineSettings, activeLow: boolean): void => {
    this.#use<Settings>(s, 'settings').activeLow = activeLow;
  };

  lineConfigNew = (): LineConfig | null => (this.#fail('lineConfigNew') ? null : (this.#alloc<LineConfigObj>({ kind: 'line-config', freed: false, lines: new Map() }) as unknown as LineConfig));
  lineConfigFree = (c: LineConfig): void => this.#free(c, 'line-config');
  lineConfigAddLineSettings = (c: LineConfig, offsets: Uint32Array, count: number, s: LineSettings): number => {
    const cfg = this.#use<LineConfigObj>(c, 'line-config');
    const st = this.#use<Settings>(s, 'settings');
    if (this.#fail('lineConfigAddLineSettings')) return -1;
    // libgpiod copies the settings: later changes to `s` do not reach the config.
    for (const offset of offsets.subarray(0, count)) cfg.lines.set(offset, { ...st });
    return 0;
  };

  requestConfigNew = (): RequestConfig | null =>
    this.#fail('requestConfigNew') ? null : (this.#alloc<RequestConfigObj>({ kind: 'request-config', freed: false }) as unknown as RequestConfig);
  requestConfigFree = (c: RequestConfig): void => this.#free(c, 'request-config');
  requestConfigSetConsumer = (c: RequestConfig, consumer: string): void => {
    this.#use<RequestConfigObj>(c, 'request-config').consumer = consumer;
  };

  chipRequestLines = (c: Chip, rc: RequestConfig | null, lc: LineConfig): LineRequest | null => {
    const { chip } = this.#use<ChipObj>(c, 'chip');
    const consumer = rc ? this.#use<RequestConfigObj>(rc, 'request-config').consumer : undefined;
    const { lines } = this.#use<LineConfigObj>(lc, 'line-config');
    if (this.#fail('chipRequestLines')) return null;
    const byOffset: RequestObj['byOffset'] = new Map();
    for (const [offset, st] of lines) {
      const key = `${chip.name}:${offset}`;
      try {
        this.#world.request(key);
      } catch {
        for (const line of byOffset.values()) this.#world.release(line.key);
        return this.#error(constants.errno.EBUSY, null);
      }
      const record: FakeLineRequestRecord = { key, direction: st.direction, bias: st.bias, activeLow: st.activeLow, consumer, initial: st.direction === 'output' ? st.outputValue : undefined, released: false };
      byOffset.set(offset, { key, settings: st, record });
      if (st.direction === 'output') this.#world.write(key, (st.outputValue ^ (st.activeLow ? 1 : 0)) as 0 | 1);
      if (st.bias === 'up' || st.bias === 'down') this.#world.bias.set(key, st.bias);
    }
    for (const line of byOffset.values()) this.requests.push(line.record);
    return this.#alloc<RequestObj>({ kind: 'request', freed: false, byOffset }) as unknown as LineRequest;
  };

  lineRequestGetValue = (r: LineRequest, offset: number): number => {
    const line = this.#requestLine(r, offset);
    if (!line || this.#fail('lineRequestGetValue')) return -1;
    try {
      return this.#world.read(line.key) ^ (line.settings.activeLow ? 1 : 0);
    } catch {
      return this.#error(constants.errno.EIO, -1);
    }
  };
  lineRequestSetValue = (r: LineRequest, offset: number, value: number): number => {
    const line = this.#requestLine(r, offset);
    if (!line || this.#fail('lineRequestSetValue')) return -1;
    if (line.settings.direction !== 'output' || (value !== 0 && value !== 1)) return this.#error(constants.errno.EINVAL, -1);
    try {
      this.#world.write(line.key, (value ^ (line.settings.activeLow ? 1 : 0)) as 0 | 1);
      return 0;
    } catch {
      return this.#error(constants.errno.EIO, -1);
    }
  };
  lineRequestRelease = (r: LineRequest): void => {
    const req = this.#use<RequestObj>(r, 'request');
    for (const { key, record } of req.byOffset.values()) {
      this.#world.release(key);
      record.released = true;
    }
    this.#free(r, 'request');
  };

  #requestLine(r: LineRequest, offset: number) {
    const line = this.#use<RequestObj>(r, 'request').byOffset.get(offset);
    if (!line) this.#errno = constants.errno.EINVAL;
    return line;
  }

  #error<T>(errno: number, result: T): T {
    this.#errno = errno;
    return result;
  }

  #fail(call: string): boolean {
    if (!this.#failing.delete(call)) return false;
    this.#errno = constants.errno.EIO;
    return true;
  }

  #alloc<T extends Obj>(o: T): T {
    this.#live.add(o);
    return o;
  }

  /** The object behind a handle; a freed one (use after free in C) throws. */
  #use<T extends Obj>(h: unknown, kind: string): T {
    const o = h as T;
    if (!o || o.kind !== kind) throw new Error(`fake libgpiod2: expected a ${kind}, got ${o ? o.kind : 'NULL'}`);
    if (o.freed) throw new Error(`fake libgpiod2: ${kind} used after it was freed`);
    return o;
  }

  #free(h: unknown, kind: string): void {
    const o = this.#use<Obj>(h, kind);
    o.freed = true;
    this.#live.delete(o);
  }

  #setting(s: LineSettings, key: 'direction' | 'bias', value: number, table: Record<number, string>): number {
    const st = this.#use<Settings>(s, 'settings');
    const v = table[value];
    if (!v || v === 'unknown') return this.#error(constants.errno.EINVAL, -1);
    (st as unknown as Record<string, string>)[key] = v;
    return 0;
  }
}

export function createFakeLibgpiod2(world: FakeGpioWorld, chips: { name: string; label: string }[], opts: { devDir?: string; version?: string } = {}): FakeLibgpiod2 {
  return new FakeLibgpiod2(world, chips, opts);
}
