import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HalError } from '../../errors.ts';

/**
 * Which gpiochip carries the 40-pin header. The header lines are identified by the
 * chip's label, not its number: the Pi 5's RP1 (`pinctrl-rp1`) was `gpiochip4` on early
 * kernels and is `gpiochip0` since 6.6.y; Pi 1–4 use `pinctrl-bcm2835` / `pinctrl-bcm2711`.
 */
export const HEADER_CHIP_LABELS = [/^pinctrl-rp1$/, /^pinctrl-bcm27\d\d$/, /^pinctrl-bcm2835$/, /^pinctrl-bcm2712$/];

export interface ChipInfo {
  name: string;
  label: string;
}

export function pickHeaderChip(chips: readonly ChipInfo[], requested?: string): string {
  const names = chips.map((c) => c.name);
  if (requested) {
    if (names.includes(requested)) return requested;
    throw new HalError('DEVICE_UNAVAILABLE', requested, `no such gpio chip (is /dev/${requested} present and readable by the gpio group?)`, {
      validOptions: names,
    });
  }
  for (const pattern of HEADER_CHIP_LABELS) {
    const hit = chips.find((c) => pattern.test(c.label));
    if (hit) return hit.name;
  }
  throw new HalError(
    'DEVICE_UNAVAILABLE',
    'gpio',
    `no Raspberry Pi header gpiochip found (labels: ${chips.map((c) => `${c.name}=${c.label}`).join(', ') || 'none'}); set roles.<role>.chip in the board`,
    { validOptions: names },
  );
}

/**
 * The sysfs number of BCM GPIO 0: the `base` of the header chip under /sys/class/gpio
 * (0 on old kernels, 512 or more on 6.6+). Falls back to 0 when sysfs has no chips.
 */
export async function sysfsHeaderBase(sysfsDir = '/sys/class/gpio'): Promise<number> {
  let entries: string[];
  try {
    entries = (await readdir(sysfsDir)).filter((e) => e.startsWith('gpiochip'));
  } catch {
    return 0;
  }
  const chips: { label: string; base: number }[] = [];
  for (const e of entries) {
    try {
      const label = (await readFile(join(sysfsDir, e, 'label'), 'utf8')).trim();
      const base = Number((await readFile(join(sysfsDir, e, 'base'), 'utf8')).trim());
      chips.push({ label, base });
    } catch {
      // a chip without label/base is not the header
    }
  }
  for (const pattern of HEADER_CHIP_LABELS) {
    const hit = chips.find((c) => pattern.test(c.label));
    if (hit && Number.isInteger(hit.base)) return hit.base;
  }
  return 0;
}
