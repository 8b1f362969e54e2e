import type { Rgb, RingFrame } from '../light-ring.ts';

/**
 * Colour correction shared by every real ring driver: gamma, the board's brightness cap,
 * and the indicator floor that keeps night mode honest.
 *
 * Order matters. Gamma maps the core's perceptual 0..255 to PWM duty; brightness then
 * scales the duty linearly (scaling before gamma would crush dim colours to black).
 *
 * The indicator floor: the mute red and the listening blue/cyan are promises to the
 * owner, so however low the brightness is set (night mode), a pixel of those hues is
 * shown at no less than `indicatorFloor` of full scale. The cap still wins over the floor:
 * it is the supply's current budget, a physical limit.
 */
export const DEFAULT_GAMMA = 2.6;
export const DEFAULT_INDICATOR_FLOOR = 0.3;

export interface RingColorOptions {
  /** Requested global brightness 0..1 (setBrightness; night mode sets it low). */
  brightness: number;
  /** The board's cap 0..1. */
  maxBrightness: number;
  gamma?: number;
  indicatorFloor?: number;
}

export type IndicatorHue = 'mute' | 'listening';

/** Mute is red-dominant; listening is blue or cyan dominant. Everything else may dim. */
export function indicatorHue([r, g, b]: Rgb): IndicatorHue | undefined {
  if (r >= 96 && g * 3 <= r && b * 3 <= r) return 'mute';
  if (b >= 96 && r * 3 <= b) return 'listening';
  if (g >= 96 && b >= 96 && r * 3 <= Math.min(g, b)) return 'listening';
  return undefined;
}

/** The linear scale applied to a pixel's gamma-corrected channels. */
export function pixelScale(px: Rgb, opts: RingColorOptions): number {
  const floor = opts.indicatorFloor ?? DEFAULT_INDICATOR_FLOOR;
  const wanted = indicatorHue(px) ? Math.max(opts.brightness, floor) : opts.brightness;
  return clamp01(Math.min(wanted, opts.maxBrightness));
}

const gammaTables = new Map<number, Uint8Array>();
let defaultTable: Uint8Array | undefined;

/** 256-entry lookup from perceptual level to PWM duty; cached per gamma value. */
export function gammaTable(gamma = DEFAULT_GAMMA): Uint8Array {
  if (gamma === DEFAULT_GAMMA && defaultTable) return defaultTable;
  let table = gammaTables.get(gamma);
  if (!table) {
    table = new Uint8Array(256);
    for (let i = 0; i < 256; i++) table[i] = Math.round(Math.pow(i / 255, gamma) * 255);
    // A channel that was asked to be on never rounds to fully off.
    for (let i = 1; i < 256; i++) if (table[i] === 0) table[i] = 1;
    gammaTables.set(gamma, table);
    if (gamma === DEFAULT_GAMMA) defaultTable = table;
  }
  return table;
}

/** Gamma-corrected, scaled channels of one pixel, each 0..255. */
export function correctPixel(px: Rgb, opts: RingColorOptions, scale = pixelScale(px, opts)): Rgb {
  if (scale === 0) return [0, 0, 0];
  const table = gammaTable(opts.gamma);
  return [scaled(table, px[0], scale), scaled(table, px[1], scale), scaled(table, px[2], scale)];
}

function scaled(table: Uint8Array, c: number, scale: number): number {
  return c === 0 ? 0 : Math.max(1, Math.round(table[c]! * scale));
}

export function correctFrame(frame: RingFrame, opts: RingColorOptions): Rgb[] {
  return frame.map((px) => correctPixel(px, opts));
}

export type ColorOrder = 'rgb' | 'grb' | 'bgr';

/** Channels in wire order. */
export function toWireOrder([r, g, b]: Rgb, order: ColorOrder): Rgb {
  if (order === 'grb') return [g, r, b];
  if (order === 'bgr') return [b, g, r];
  return [r, g, b];
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
