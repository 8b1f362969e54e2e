import type { LibgpiodChip, LibgpiodLine, LibgpiodModule } from '../drivers/gpio/libgpiod-backend.ts';
import type { OnoffGpio, OnoffModule } from '../drivers/gpio/onoff-backend.ts';

/**
 * Fakes of the two Linux GPIO native layers (`onoff` over sysfs, `node-libgpiod` over
 * the character device) sharing one simulated set of physical line levels.
 * Lines are keyed `chip:offset` (onoff uses the chip name `sysfs`).
 * Tests drive inputs with `setLevel`, read outputs with `level`, inject failures, and can
 * `link` an output to an input (a relay contact read back on its sense line).
 */
export class FakeGpioWorld {
  readonly #levels = new Map<string, 0 | 1>();
  readonly #watchers = new Map<string, Set<(level: 0 | 1) => void>>();
  readonly #links = new Map<string, string>();
  #failNext: Error | undefined;
  readonly requested = new Set<string>();
  readonly writes: { key: string; level: 0 | 1 }[] = [];
  /** Bias requested per line: 'up' | 'down' (libgpiod only). */
  readonly bias = new Map<string, 'up' | 'down'>();
  failWrites: Error | undefined;
  failReads: Error | undefined;
  /** A line key whose request fails, e.g. "busy". */
  busy = new Set<string>();

  level(key: string): 0 | 1 | undefined {
    return this.#levels.get(key);
  }

  setLevel(key: string, level: 0 | 1): void {
    if (this.#levels.get(key) === level) return;
    this.#levels.set(key, level);
    for (const w of this.#watchers.get(key) ?? []) w(level);
    const linked = this.#links.get(key);
    if (linked) this.setLevel(linked, level);
  }

  /** Mirrors every level written to `output` onto `input`. */
  link(output: string, input: string): void {
    this.#links.set(output, input);
  }

  /** Fails exactly the next write. */
  failNextWrite(error = new Error('EIO')): void {
    this.#failNext = error;
  }

  write(key: string, level: 0 | 1): void {
    if (this.failWrites) throw this.failWrites;
    const once = this.#failNext;
    this.#failNext = undefined;
    if (once) throw once;
    this.writes.push({ key, level });
    this.setLevel(key, level);
  }

  read(key: string): 0 | 1 {
    if (this.failReads) throw this.failReads;
    return this.#levels.get(key) ?? 0;
  }

  request(key: string): void {
    if (this.busy.has(key) || this.requested.has(key)) throw new Error(`EBUSY: ${key}`);
    this.requested.add(key);
  }

  release(key: string): void {
    this.requested.delete(key);
    this.#watchers.delete(key);
  }

  watch(key: string, fn: (level: 0 | 1) => void): void {
    let set = this.#watchers.get(key);
    if (!set) this.#watchers.set(key, (set = new Set()));
    set.add(fn);
  }
}

export function createFakeOnoff(world: FakeGpioWorld): OnoffModule {
  class FakeOnoffGpio implements OnoffGpio {
    readonly #key: string;
    readonly #invert: boolean;
    #watchers: ((err: Error | null | undefined, value: 0 | 1) => void)[] = [];
    constructor(gpio: number, direction: 'in' | 'out' | 'high' | 'low', _edge?: string, options?: { activeLow?: boolean }) {
      this.#key = `sysfs:${gpio}`;
      this.#invert = options?.activeLow ?? false;
      world.request(this.#key);
      if (direction === 'high' || direction === 'low') world.write(this.#key, this.#phys(direction === 'high' ? 1 : 0));
      world.watch(this.#key, (level) => {
        for (const w of this.#watchers) w(null, this.#phys(level));
      });
    }
    #phys(v: 0 | 1): 0 | 1 {
      return (this.#invert ? 1 - v : v) as 0 | 1;
    }
    async read(): Promise<0 | 1> {
      return this.#phys(world.read(this.#key));
    }
    async write(value: 0 | 1): Promise<void> {
      world.write(this.#key, this.#phys(value));
    }
    watch(cb: (err: Error | null | undefined, value: 0 | 1) => void): void {
      this.#watchers.push(cb);
    }
    unwatchAll(): void {
      this.#watchers = [];
    }
    unexport(): void {
      world.release(this.#key);
    }
  }
  return { Gpio: FakeOnoffGpio };
}

export function createFakeLibgpiod(world: FakeGpioWorld, chips: { name: string; label: string }[]): LibgpiodModule {
  class FakeChip implements LibgpiodChip {
    readonly name: string;
    readonly label: string;
    constructor(id: string | number) {
      const chip = chips.find((c) => c.name === id || c.name === `gpiochip${id}`);
      if (!chip) throw new Error(`ENOENT: /dev/${id}`);
      this.name = chip.name;
      this.label = chip.label;
    }
  }
  class FakeLine implements LibgpiodLine {
    readonly #key: string;
    #requested = false;
    constructor(chip: LibgpiodChip, offset: number) {
      this.#key = `${chip.name}:${offset}`;
    }
    requestOutputMode(_consumer?: string, defaultValue = 0): void {
      world.request(this.#key);
      this.#requested = true;
      world.write(this.#key, defaultValue ? 1 : 0);
    }
    requestInputMode(): void {
      world.request(this.#key);
      this.#requested = true;
    }
    requestInputModeFlags(_consumer: string, flags: number): void {
      this.requestInputMode();
      if (flags & (1 << 5)) world.bias.set(this.#key, 'up');
      else if (flags & (1 << 4)) world.bias.set(this.#key, 'down');
    }
    getValue(): number {
      if (!this.#requested) throw new Error('line not requested');
      return world.read(this.#key);
    }
    setValue(value: number): void {
      if (!this.#requested) throw new Error('line not requested');
      world.write(this.#key, value ? 1 : 0);
    }
    release(): void {
      this.#requested = false;
      world.release(this.#key);
    }
  }
  return { getChipNames: () => chips.map((c) => c.name), Chip: FakeChip, Line: FakeLine };
}
