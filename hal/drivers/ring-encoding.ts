import type { RingFrame } from '../light-ring.ts';
import { correctPixel, gammaTable, pixelScale, toWireOrder, type ColorOrder, type RingColorOptions } from './ring-color.ts';

/**
 * Wire encodings of one ring frame, pure and byte-exact (unit-tested), shared by the
 * drivers and the bench.
 */

// ---- WS281x over SPI (Pi 5: rpi_ws281x has no RP1 support) -------------------------
//
// At 2.4 MHz one SPI bit lasts 417 ns. Each WS281x data bit becomes three SPI bits:
//   0 -> 100  (high 417 ns, low 833 ns)     1 -> 110  (high 833 ns, low 417 ns)
// Both are inside the WS2812B tolerances (T0H 220–380…420 ns in practice, T1H 580–1000 ns),
// and 3 bits/bit keeps a 60-pixel frame at 540 bytes. The RP1 SPI divider gets within
// 1 % of 2.4 MHz. Trailing zero bytes hold the line low for the latch (reset) time;
// WS2812B v5 parts need more than 280 µs, so we send 300 µs = 90 bytes.
export const WS281X_SPI_HZ = 2_400_000;
export const WS281X_SPI_BITS_PER_BIT = 3;
export const WS281X_SPI_RESET_BYTES = Math.ceil((300e-6 * WS281X_SPI_HZ) / 8);

/** Each byte of LED data as three SPI bytes, MSB first. Precomputed: the hot path. */
const WS281X_SPI_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(256 * 3);
  for (let v = 0; v < 256; v++) {
    let bits = 0;
    for (let i = 7; i >= 0; i--) bits = (bits << 3) | ((v >> i) & 1 ? 0b110 : 0b100);
    table[v * 3] = (bits >> 16) & 0xff;
    table[v * 3 + 1] = (bits >> 8) & 0xff;
    table[v * 3 + 2] = bits & 0xff;
  }
  return table;
})();

export function ws281xSpiFrameLength(pixelCount: number): number {
  return pixelCount * 3 * WS281X_SPI_BITS_PER_BIT + WS281X_SPI_RESET_BYTES;
}

export function encodeWs281xSpi(frame: RingFrame, opts: RingColorOptions, order: ColorOrder = 'grb'): Buffer {
  const out = Buffer.alloc(ws281xSpiFrameLength(frame.length)); // zero-filled: the reset tail
  let o = 0;
  for (const px of frame) {
    for (const c of toWireOrder(correctPixel(px, opts), order)) {
      out[o++] = WS281X_SPI_TABLE[c * 3]!;
      out[o++] = WS281X_SPI_TABLE[c * 3 + 1]!;
      out[o++] = WS281X_SPI_TABLE[c * 3 + 2]!;
    }
  }
  return out;
}

// ---- APA102 / SK9822 over SPI (ReSpeaker HATs) -------------------------------------
//
// Start frame: 32 zero bits. Each LED: 0b111 + 5-bit global brightness, then three
// colour bytes (B, G, R on the ReSpeaker parts). The global brightness carries the coarse
// scale and the colour bytes keep their full 8-bit resolution, so a dim ring keeps its
// colours. End: 32 zero bits (SK9822 latch) plus one byte per 16 LEDs so the clock
// reaches the last LED (each LED delays the data by half a clock).
export function apa102FrameLength(pixelCount: number): number {
  return 4 + pixelCount * 4 + 4 + Math.ceil(pixelCount / 16);
}

export function encodeApa102(frame: RingFrame, opts: RingColorOptions, order: ColorOrder = 'bgr'): Buffer {
  const out = Buffer.alloc(apa102FrameLength(frame.length));
  const table = gammaTable(opts.gamma);
  let o = 4;
  for (const px of frame) {
    const scale = pixelScale(px, opts);
    const dark = scale === 0 || (px[0] === 0 && px[1] === 0 && px[2] === 0);
    const level = dark ? 0 : Math.max(1, Math.ceil(scale * 31));
    const residual = level === 0 ? 0 : (scale * 31) / level;
    out[o++] = 0xe0 | level;
    for (const c of toWireOrder(px, order)) {
      out[o++] = c === 0 || level === 0 ? 0 : Math.max(1, Math.round(table[c]! * residual));
    }
  }
  return out;
}

// ---- WS281x through rpi_ws281x (Pi 1–4, PWM/PCM DMA) -------------------------------
//
// The native library takes one 0x00RRGGBB word per LED and reorders for the strip type.
export function encodeWs281xWords(frame: RingFrame, opts: RingColorOptions, out: Uint32Array = new Uint32Array(frame.length)): Uint32Array {
  for (let i = 0; i < frame.length; i++) {
    const [r, g, b] = correctPixel(frame[i]!, opts);
    out[i] = ((r << 16) | (g << 8) | b) >>> 0;
  }
  return out;
}
