import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { HalError, loadOptionalPackage } from '../../hal/errors.ts';
import { chooseLibgpiod } from '../../hal/drivers/gpio/choose-libgpiod.ts';
import { GpioLed, GpioRelay, openGpioButton } from '../../hal/drivers/gpio/gpio-devices.ts';
import type { LibgpiodModule } from '../../hal/drivers/gpio/libgpiod-backend.ts';
import { gpiochipNodes, Libgpiod2Backend } from '../../hal/drivers/gpio/libgpiod2-backend.ts';
import {
  GPIOD_LINE_BIAS_PULL_DOWN,
  GPIOD_LINE_BIAS_PULL_UP,
  GPIOD_LINE_DIRECTION_INPUT,
  GPIOD_LINE_DIRECTION_OUTPUT,
  GPIOD_LINE_VALUE_ACTIVE,
  LIBGPIOD2_FUNCTIONS,
  type Libgpiod2,
} from '../../hal/drivers/gpio/libgpiod2-ffi.ts';
import { KOFFI_MISSING, LIBGPIOD2_MISSING, loadLibgpiod2 } from '../../hal/drivers/gpio/load-libgpiod2.ts';
import { LIBGPIOD_POLL_MS } from '../../hal/drivers/gpio/sampled-input.ts';
import { createRoleDevice } from '../../hal/drivers/index.ts';
import { loadBoard } from '../../boards/index.ts';
import { createFakeLibgpiod, FakeGpioWorld } from '../../hal/fakes/fake-gpio.ts';
import { createFakeLibgpiod2 } from '../../hal/fakes/fake-libgpiod2.ts';
import { libgpiod2Header, REAL_LIBGPIOD2_PATH, realLibgpiod2SkipReason } from './support/real-libgpiod2.ts';
import * as ffi from '../../hal/drivers/gpio/libgpiod2-ffi.ts';

const PI5 = [
  { name: 'gpiochip0', label: 'pinctrl-rp1' },
  { name: 'gpiochip10', label: 'gpio-brcmstb@107d508500' },
];

function rig(chips = PI5) {
  const world = new FakeGpioWorld();
  const lib = createFakeLibgpiod2(world, chips);
  const clock = new ManualClock();
  const backend = new Libgpiod2Backend(lib, clock, { listDevices: () => chips.map((c) => c.name) });
  return { world, lib, clock, backend, key: (pin: number) => `gpiochip0:${pin}` };
}

describe('libgpiod v2 back end (over a fake of the C API)', () => {
  it('outputs start at their initial level; active-low is asked of the kernel, values stay logical', async () => {
    const { world, lib, backend, key } = rig();
    const a = await backend.openOutput(17, { initial: false });
    const b = await backend.openOutput(18, { initial: true });
    const c = await backend.openOutput(22, { initial: false, activeLow: true });
    expect([world.level(key(17)), world.level(key(18)), world.level(key(22))]).toEqual([0, 1, 1]);
    expect(lib.requests.map((r) => [r.key, r.direction, r.activeLow, r.initial, r.consumer])).toEqual([
      ['gpiochip0:17', 'output', false, 0, 'tally'],
      ['gpiochip0:18', 'output', false, 1, 'tally'],
      ['gpiochip0:22', 'output', true, 0, 'tally'],
    ]);
    await c.write(true);
    expect(world.level(key(22))).toBe(0);
    await a.write(true);
    expect(world.level(key(17))).toBe(1);
    for (const o of [a, b, c]) await o.close();
    expect(world.requested.size).toBe(0);
  });

  it('inputs ask for the pull they are given (none: the bias is left as it is) and read logically', async () => {
    const { world, lib, backend, key } = rig();
    world.setLevel(key(5), 0);
    const up = await backend.openInput(5, { pull: 'up', activeLow: true });
    const down = await backend.openInput(6, { pull: 'down' });
    const none = await backend.openInput(7, {});
    expect(lib.requests.map((r) => [r.key, r.direction, r.bias, r.activeLow])).toEqual([
      ['gpiochip0:5', 'input', 'up', true],
      ['gpiochip0:6', 'input', 'down', false],
      ['gpiochip0:7', 'input', 'as-is', false],
    ]);
    expect(await up.read()).toBe(true); // low on an active-low line: active
    world.setLevel(key(6), 1);
    expect(await down.read()).toBe(true);
    expect(await none.read()).toBe(false);
    for (const i of [up, down, none]) await i.close();
  });

  it('watch samples on the clock every LIBGPIOD_POLL_MS and stops on close', async () => {
    const { world, backend, key, clock } = rig();
    const input = await backend.openInput(5, {});
    const seen: boolean[] = [];
    input.watch((v) => seen.push(v), (e) => seen.push(e as never));
    world.setLevel(key(5), 1);
    clock.advance(LIBGPIOD_POLL_MS - 1);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([true]);
    world.setLevel(key(5), 0);
    world.setLevel(key(5), 1); // a glitch between two samples is not seen
    clock.advance(LIBGPIOD_POLL_MS);
    expect(seen).toEqual([true]);
    await input.close();
    expect(clock.pendingTimers).toBe(0);
  });

  it('nothing is leaked: chips are closed after use, settings and configs freed, requests released on close', async () => {
    const { lib, backend, clock } = rig();
    const relay = await GpioRelay.open(backend, 17, { sensePin: 27 });
    const led = await GpioLed.open(backend, 22);
    const button = await openGpioButton(backend, 5, clock);
    expect(lib.live()).toEqual({ request: 4 });
    await relay.close();
    await led.close();
    await button.close();
    await relay.close();
    expect(lib.live()).toEqual({});
    expect(lib.requests.every((r) => r.released)).toBe(true);
  });

  it('a released line is never passed to C again: write and read are DEVICE_CLOSED, close is idempotent', async () => {
    const { backend } = rig();
    const out = await backend.openOutput(17, { initial: false });
    const input = await backend.openInput(27, {});
    await out.close();
    await out.close();
    await input.close();
    await input.close();
    // The fake throws on a freed handle: a DEVICE_CLOSED here means C was not called.
    await expect(out.write(true)).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
    await expect(input.read()).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
  });

  it('fails closed: every failing step of a request is DEVICE_UNAVAILABLE, nothing held, nothing leaked', async () => {
    for (const call of ['chipOpen', 'chipGetInfo', 'lineSettingsNew', 'lineConfigNew', 'requestConfigNew', 'lineSettingsSetDirection', 'lineSettingsSetOutputValue', 'lineConfigAddLineSettings', 'chipRequestLines'] as const) {
      const { lib, backend, world } = rig();
      lib.failNext(call);
      await expect(backend.openOutput(17, { initial: false }), call).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE' });
      expect(world.requested.size, call).toBe(0);
      expect(lib.live(), call).toEqual({});
    }
    const { lib, backend } = rig();
    lib.failNext('lineSettingsSetBias');
    await expect(backend.openInput(5, { pull: 'up' })).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE', message: expect.stringMatching(/gpiod_line_settings_set_bias failed \(EIO\)/) });
    expect(lib.live()).toEqual({});
  });

  it('a busy line says EBUSY; an unknown chip names the choices', async () => {
    const { world, backend, key } = rig();
    world.busy.add(key(17));
    await expect(GpioRelay.open(backend, 17)).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE', message: expect.stringMatching(/cannot request line 17 on gpiochip0: gpiod_chip_request_lines failed \(EBUSY\)/) });
    await expect(backend.openOutput(17, { initial: false, chip: 'gpiochip4' })).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE', validOptions: ['gpiochip0', 'gpiochip10'] });
    const other = await backend.openOutput(3, { initial: true, chip: 'gpiochip10' });
    expect(world.level('gpiochip10:3')).toBe(1);
    await other.close();
  });

  it('a failed write is DEVICE_WRITE_FAILED through the relay, which keeps its last good position; a failed read stops the watch once', async () => {
    const { lib, backend, world, key, clock } = rig();
    const relay = await GpioRelay.open(backend, 17);
    lib.failNext('lineRequestSetValue');
    await expect(relay.set('closed')).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED', cause: expect.objectContaining({ message: expect.stringMatching(/set_value\(GPIO17\) failed: EIO/) }) });
    expect(relay.commanded).toBe('open');
    expect(world.level(key(17))).toBe(0);
    world.setLevel(key(5), 1);
    const button = await openGpioButton(backend, 5, clock);
    const seen: string[] = [];
    button.on('error', (e) => seen.push(e.code));
    button.on('press', () => seen.push('press'));
    lib.failNext('lineRequestGetValue');
    clock.advance(LIBGPIOD_POLL_MS);
    world.setLevel(key(5), 0);
    clock.advance(500);
    expect(seen).toEqual(['DEVICE_READ_FAILED']);
    await button.close();
    await relay.close();
  });

  it('lists /dev/gpiochipN in number order, nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dev-'));
    for (const f of ['gpiochip10', 'gpiochip2', 'gpiochip0', 'gpiochip-x', 'null']) await writeFile(join(dir, f), '');
    await mkdir(join(dir, 'gpio'));
    expect(gpiochipNodes(dir)).toEqual(['gpiochip0', 'gpiochip2', 'gpiochip10']);
    expect(gpiochipNodes(join(dir, 'absent'))).toEqual([]);
    // The default lister reads devDir.
    const world = new FakeGpioWorld();
    const backend = new Libgpiod2Backend(createFakeLibgpiod2(world, [{ name: 'gpiochip2', label: 'pinctrl-bcm2711' }], { devDir: dir }), new ManualClock(), { devDir: dir });
    await expect(backend.openOutput(17, { initial: false })).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE', message: expect.stringContaining(`${dir}/gpiochip0`) });
  });
});

describe('which libgpiod API the libgpiod driver uses', () => {
  const clock = new ManualClock();
  const fakeV2 = () => createFakeLibgpiod2(new FakeGpioWorld(), PI5);
  const fakeV1 = async () => createFakeLibgpiod(new FakeGpioWorld(), PI5);
  const v2Missing = () => Promise.reject(new HalError(LIBGPIOD2_MISSING, 'x', 'libgpiod.so.3 could not be loaded'));
  const v1Missing = () => loadOptionalPackage<LibgpiodModule>('tally-no-such-node-libgpiod', 'x');

  it('auto: v2 when libgpiod.so.3 binds, else v1; v1 is not even loaded when v2 is there', async () => {
    const v1 = vi.fn(fakeV1);
    const two = await chooseLibgpiod('roles.relay', clock, { v2: async () => fakeV2(), v1 }, undefined);
    expect([two.api, two.backend.name, two.detail]).toEqual(['v2', 'libgpiod v2', 'libgpiod 2.2.1 (v2 API, fake-libgpiod.so.3 through koffi)']);
    expect(v1).not.toHaveBeenCalled();
    const one = await chooseLibgpiod('roles.relay', clock, { v2: v2Missing, v1: fakeV1 }, 'auto');
    expect([one.api, one.backend.name]).toEqual(['v1', 'libgpiod']);
  });

  it('forced: v1 never binds v2, and a forced API that is missing is an error, not a fallback', async () => {
    const v2 = vi.fn(async () => fakeV2());
    expect((await chooseLibgpiod('r', clock, { v2, v1: fakeV1 }, 'v1')).api).toBe('v1');
    expect(v2).not.toHaveBeenCalled();
    await expect(chooseLibgpiod('r', clock, { v2: v2Missing, v1: fakeV1 }, 'v2')).rejects.toMatchObject({ code: LIBGPIOD2_MISSING });
    await expect(chooseLibgpiod('r', clock, { v2: async () => fakeV2(), v1: v1Missing }, 'v1')).rejects.toMatchObject({ code: 'DRIVER_MISSING' });
    await expect(chooseLibgpiod('r', clock, { v2: async () => fakeV2(), v1: fakeV1 }, 'v3')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', validOptions: ['auto', 'v1', 'v2'] });
  });

  it('neither: the code names what is missing (koffi, or libgpiod.so.3 and node-libgpiod), the message both reasons', async () => {
    await expect(chooseLibgpiod('roles.relay', clock, { v2: v2Missing, v1: v1Missing }, undefined)).rejects.toMatchObject({
      code: 'DRIVER_LIBGPIOD_MISSING',
      message: expect.stringMatching(/^roles\.relay: no libgpiod back end: neither libgpiod\.so\.3 \(v2\) nor node-libgpiod \(v1\).*\[v2: libgpiod\.so\.3 could not be loaded\] \[v1: the optional package "tally-no-such-node-libgpiod"/),
    });
    const koffi = () => Promise.reject(new HalError(KOFFI_MISSING, 'x', 'no koffi'));
    await expect(chooseLibgpiod('roles.relay', clock, { v2: koffi, v1: v1Missing }, undefined)).rejects.toMatchObject({ code: KOFFI_MISSING, message: expect.stringContaining('[v2: no koffi]') });
  });

  it('an unexpected failure of v2 is not papered over by v1', async () => {
    await expect(chooseLibgpiod('r', clock, { v2: () => Promise.reject(new Error('segfault-ish')), v1: fakeV1 }, undefined)).rejects.toThrow('segfault-ish');
  });

  it('createRoleDevice: board driver `libgpiod` opens v2 when it binds, v1 when TALLY_LIBGPIOD_API=v1', async () => {
    const board = await loadBoard('rpi5-neopixel-spi');
    const world = new FakeGpioWorld();
    const v2 = createFakeLibgpiod2(world, PI5);
    const loadPackage = async (pkg: string) => (pkg === 'node-libgpiod' ? createFakeLibgpiod(world, PI5) : Promise.reject(new Error(pkg)));
    const base = { clock: new ManualClock(), loadPackage, loadLibgpiod2: async () => v2, gpioChipDevices: () => PI5.map((c) => c.name) };
    const relay = await createRoleDevice('relay', board.roles.relay, board, { ...base, env: {} });
    expect(v2.requests.map((r) => r.key)).toEqual(['gpiochip0:17', 'gpiochip0:27']);
    await relay.close();
    const led = (await createRoleDevice('muteLed', board.roles.muteLed, board, { ...base, env: { TALLY_LIBGPIOD_API: 'v1' } })) as GpioLed;
    expect(v2.requests).toHaveLength(2);
    expect(world.requested).toEqual(new Set(['gpiochip0:22']));
    await led.close();
    // With the native layers injected and no v2 binding given, v2 counts as absent.
    const v1Only = await createRoleDevice('muteLed', board.roles.muteLed, board, { clock: new ManualClock(), loadPackage, env: {} });
    expect(world.requested).toEqual(new Set(['gpiochip0:22']));
    await v1Only.close();
  });
});

/** Debian 12's libgpiod 1.x, when the dynamic loader finds it (CI, this host). */
const v1so = await import('koffi').then((k: { default?: { load(p: string): unknown }; load?(p: string): unknown }) => {
  try {
    (k.default ?? (k as { load(p: string): unknown })).load('libgpiod.so.2');
    return true;
  } catch {
    return false;
  }
});
describe('loading libgpiod v2', () => {
  it('without koffi: DRIVER_KOFFI_MISSING, saying how to install it', async () => {
    vi.resetModules();
    vi.doMock('koffi', () => {
      throw new Error("Cannot find package 'koffi'");
    });
    try {
      const fresh = await import('../../hal/drivers/gpio/load-libgpiod2.ts');
      await expect(fresh.loadLibgpiod2('roles.relay', REAL_LIBGPIOD2_PATH)).rejects.toMatchObject({ code: 'DRIVER_KOFFI_MISSING', message: expect.stringContaining('npm install koffi') });
    } finally {
      vi.doUnmock('koffi');
      vi.resetModules();
    }
  });

  it('a library that is not there: DRIVER_LIBGPIOD2_MISSING naming it and the Debian package', async () => {
    await expect(loadLibgpiod2('roles.relay', '/nonexistent/libgpiod.so.3')).rejects.toMatchObject({
      code: 'DRIVER_LIBGPIOD2_MISSING',
      message: expect.stringMatching(/^roles\.relay: \/nonexistent\/libgpiod\.so\.3 \(libgpiod v2\) could not be loaded: .*apt install libgpiod3/),
    });
  });

  it.skipIf(!v1so)(`libgpiod 1.x (libgpiod.so.2, Debian 12) is not taken for v2: its symbols do not bind${v1so ? '' : ' — SKIPPED: no libgpiod.so.2 here'}`, async () => {
    await expect(loadLibgpiod2('roles.relay', 'libgpiod.so.2')).rejects.toMatchObject({ code: 'DRIVER_LIBGPIOD2_MISSING', message: expect.stringContaining('Cannot find function') });
  });
});

const skip = realLibgpiod2SkipReason;
describe.skipIf(skip)(`the real libgpiod v2 (${REAL_LIBGPIOD2_PATH})${skip ? ` — SKIPPED: ${skip}` : ''}`, () => {
  let lib: Libgpiod2;
  beforeAll(async () => {
    lib = await loadLibgpiod2('test', REAL_LIBGPIOD2_PATH);
  });

  it('every function binds, and the library says it is 2.x', () => {
    for (const key of Object.keys(LIBGPIOD2_FUNCTIONS)) expect(typeof (lib as unknown as Record<string, unknown>)[key], key).toBe('function');
    expect(lib.apiVersion()).toMatch(/^2\.\d+/);
  });

  it('the enum values are the library\'s: each is accepted, the next one past the end is EINVAL', () => {
    const s = lib.lineSettingsNew()!;
    expect(s).toBeTruthy();
    try {
      expect(lib.lineSettingsSetDirection(s, GPIOD_LINE_DIRECTION_INPUT)).toBe(0);
      expect(lib.lineSettingsSetDirection(s, GPIOD_LINE_DIRECTION_OUTPUT)).toBe(0);
      expect(lib.lineSettingsSetDirection(s, GPIOD_LINE_DIRECTION_OUTPUT + 1)).toBe(-1);
      expect(lib.errno()).toBe(22); // EINVAL
      expect(lib.lineSettingsSetBias(s, GPIOD_LINE_BIAS_PULL_UP)).toBe(0);
      expect(lib.lineSettingsSetBias(s, GPIOD_LINE_BIAS_PULL_DOWN)).toBe(0);
      expect(lib.lineSettingsSetBias(s, GPIOD_LINE_BIAS_PULL_DOWN + 1)).toBe(-1);
      expect(lib.lineSettingsSetOutputValue(s, GPIOD_LINE_VALUE_ACTIVE)).toBe(0);
      lib.lineSettingsSetActiveLow(s, true);
      const cfg = lib.lineConfigNew()!;
      expect(lib.lineConfigAddLineSettings(cfg, Uint32Array.of(17), 1, s)).toBe(0);
      lib.lineConfigFree(cfg);
      const rc = lib.requestConfigNew()!;
      lib.requestConfigSetConsumer(rc, 'tally');
      lib.requestConfigFree(rc);
    } finally {
      lib.lineSettingsFree(s);
    }
  });

  it.skipIf(!REAL_LIBGPIOD2_PATH.startsWith('/'))('a failed load is not cached: the library installed later loads (needs TALLY_LIBGPIOD2_PATH as a file path)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lib-'));
    const later = join(dir, 'libgpiod.so.3');
    await expect(loadLibgpiod2('test', later)).rejects.toMatchObject({ code: 'DRIVER_LIBGPIOD2_MISSING' });
    await symlink(REAL_LIBGPIOD2_PATH, later);
    expect((await loadLibgpiod2('test', later)).library).toBe(later);
  });

  it('a chip that does not exist: NULL with ENOENT, and the back end fails closed with DEVICE_UNAVAILABLE', async () => {
    expect(lib.chipOpen('/dev/gpiochip-none')).toBeNull();
    expect(lib.errno()).toBe(2); // ENOENT
    const backend = new Libgpiod2Backend(lib, new ManualClock(), { listDevices: () => ['gpiochip-none'] });
    expect(() => backend.listChips()).toThrow(expect.objectContaining({ code: 'DEVICE_UNAVAILABLE', message: expect.stringMatching(/cannot open \/dev\/gpiochip-none \(ENOENT/) }));
    await expect(GpioRelay.open(backend, 17)).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE' });
    // This machine's own /dev, only when it has no gpiochip (never drive a real line from a test).
    if (!gpiochipNodes().length) await expect(new Libgpiod2Backend(lib, new ManualClock()).openOutput(17, { initial: false })).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE', message: expect.stringContaining('no Raspberry Pi header gpiochip') });
  });
});


const header = libgpiod2Header();
describe.skipIf(!header)(`the binding against libgpiod 2.x's gpiod.h${header ? '' : ' — SKIPPED: no libgpiod 2 gpiod.h here (set TALLY_LIBGPIOD2_HEADER)'}`, () => {
  const text = (header ?? '').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ');
  /** The binding's names for C types (libgpiod2-ffi.ts). */
  const kind = (c: string): string => {
    const t = c.replace(/\b\w+$/, (name) => (/^(const|unsigned|int|char|bool|void|size_t)$/.test(name) ? name : '')).replace(/\s*\*\s*/g, ' *').trim();
    const table: Record<string, string> = {
      'const char *': 'str',
      void: 'void',
      int: 'int',
      'unsigned int': 'uint',
      bool: 'bool',
      size_t: 'size_t',
      'const unsigned int *': 'offsets',
      'struct gpiod_chip *': 'chip',
      'struct gpiod_chip_info *': 'chipInfo',
      'struct gpiod_line_settings *': 'settings',
      'struct gpiod_line_config *': 'lineConfig',
      'struct gpiod_request_config *': 'requestConfig',
      'struct gpiod_line_request *': 'request',
    };
    return table[t] ?? (t.startsWith('enum gpiod_') && !t.includes('*') ? 'int' : `?${t}`);
  };

  it('every bound function has the header\'s result and parameter types', () => {
    for (const [key, [name, result, args]] of Object.entries(LIBGPIOD2_FUNCTIONS)) {
      const m = new RegExp(`([\\w ]+?\\**) ?\\b${name} ?\\(([^)]*)\\) ?;`).exec(text);
      expect(m, `${name} declared`).not.toBeNull();
      const params = m![2]!.trim() === 'void' ? [] : m![2]!.split(',').map((p) => kind(p.trim()));
      expect({ key, result: kind(m![1]!.trim() + ' x'), params }).toEqual({ key, result, params: args });
    }
  });

  it('the enum values are the header\'s', () => {
    const values: Record<string, number> = {};
    for (const [, body] of text.matchAll(/enum gpiod_\w+ \{([^}]*)\}/g)) {
      let next = 0;
      for (const item of body!.split(',').map((i) => i.trim()).filter(Boolean)) {
        const [n, v] = item.split('=').map((x) => x.trim());
        next = v === undefined ? next : Number(v);
        values[n!] = next++;
      }
    }
    const ours = Object.entries(ffi).filter(([k]) => k.startsWith('GPIOD_'));
    expect(ours.length).toBe(8);
    for (const [k, v] of ours) expect([k, values[k]]).toEqual([k, v]);
  });
});
