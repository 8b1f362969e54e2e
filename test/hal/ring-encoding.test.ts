import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Rgb } from '../../hal/light-ring.ts';
import {
  apa102FrameLength,
  encodeApa102,
  encodeWs281xSpi,
  encodeWs281xWords,
  WS281X_SPI_RESET_BYTES,
  ws281xSpiFrameLength,
} from '../../hal/drivers/ring-encoding.ts';
import { correctPixel, gammaTable, indicatorHue, pixelScale } from '../../hal/drivers/ring-color.ts';

const full = { brightness: 1, maxBrightness: 1 };

/** Decodes the 3-bits-per-bit SPI stream back to LED bytes (the inverse of the encoder). */
function decodeWs281xSpi(buf: Buffer, bytes: number): number[] {
  const bits: number[] = [];
  for (const byte of buf) for (let i = 7; i >= 0; i--) bits.push((byte >> i) & 1);
  const out: number[] = [];
  for (let b = 0; b < bytes; b++) {
    let v = 0;
    for (let i = 0; i < 8; i++) {
      const sym = bits.slice((b * 8 + i) * 3, (b * 8 + i) * 3 + 3).join('');
      if (sym !== '100' && sym !== '110') throw new Error(`bad symbol ${sym}`);
      v = (v << 1) | (sym === '110' ? 1 : 0);
    }
    out.push(v);
  }
  return out;
}

describe('WS281x over SPI encoding (2.4 MHz, 3 SPI bits per LED bit)', () => {
  it('encodes a single pixel byte-exact, GRB order, with a zero reset tail', () => {
    // green 255 -> 0xff; red 0; blue 1 (gamma keeps 1 lit as 1)
    const buf = encodeWs281xSpi([[0, 255, 1]], full);
    // 0xff = eight "110" = 110110110110110110110110 = 0xDB 0x6D 0xB6
    // 0x00 = eight "100" = 100100100100100100100100 = 0x92 0x49 0x24
    // 0x01 = seven "100" + "110"                     = 0x92 0x49 0x26
    expect([...buf.subarray(0, 9)]).toEqual([0xdb, 0x6d, 0xb6, 0x92, 0x49, 0x24, 0x92, 0x49, 0x26]);
    expect(buf.length).toBe(9 + WS281X_SPI_RESET_BYTES);
    expect(buf.subarray(9).every((b) => b === 0)).toBe(true);
    // 300 µs of low at 2.4 MHz
    expect(WS281X_SPI_RESET_BYTES * 8 / 2.4e6).toBeGreaterThanOrEqual(300e-6);
  });

  it('round-trips any frame through the decoder (property)', () => {
    const px = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(px, { minLength: 1, maxLength: 24 }), (frame) => {
        const buf = encodeWs281xSpi(frame as Rgb[], full, 'rgb');
        expect(buf.length).toBe(ws281xSpiFrameLength(frame.length));
        const decoded = decodeWs281xSpi(buf, frame.length * 3);
        expect(decoded).toEqual(frame.flatMap((p) => correctPixel(p as Rgb, full)));
      }),
    );
  });
});

describe('APA102 encoding', () => {
  it('builds start frame, LED frames (111 + 5-bit brightness, B G R) and end frame', () => {
    const buf = encodeApa102([[255, 0, 0], [0, 0, 255], [0, 0, 0]], full);
    expect(buf.length).toBe(apa102FrameLength(3));
    expect([...buf]).toEqual([
      0, 0, 0, 0, // start
      0xff, 0, 0, 255, // red: B G R
      0xff, 255, 0, 0, // blue
      0xe0, 0, 0, 0, // off: brightness 0
      0, 0, 0, 0, 0, // SK9822 latch + ceil(3/16) clock byte
    ]);
  });

  it('puts coarse brightness in the 5-bit field and keeps colour resolution', () => {
    const half = encodeApa102([[0, 0, 255]], { brightness: 0.5, maxBrightness: 1, indicatorFloor: 0 });
    expect(half[4]).toBe(0xe0 | 16); // ceil(0.5 * 31)
    expect(half[5]).toBe(Math.round(255 * (0.5 * 31) / 16));
    const dimOrange = encodeApa102([[255, 128, 0]], { brightness: 0.1, maxBrightness: 1 });
    expect(dimOrange[4]! & 0x1f).toBe(4); // ceil(3.1)
  });

  it('sizes the end frame for 12 LEDs (ReSpeaker 4-mic)', () => {
    expect(apa102FrameLength(12)).toBe(4 + 48 + 4 + 1);
    expect(apa102FrameLength(60)).toBe(4 + 240 + 4 + 4);
  });
});

describe('ring colour correction', () => {
  it('gamma darkens mid levels but never turns a lit channel off', () => {
    const t = gammaTable();
    expect(t[0]).toBe(0);
    expect(t[255]).toBe(255);
    expect(t[128]).toBeLessThan(64);
    expect(t[1]).toBe(1);
  });

  it('the brightness cap bounds every channel', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (r, g, b) => {
        const out = correctPixel([r, g, b], { brightness: 1, maxBrightness: 0.4 });
        for (const c of out) expect(c).toBeLessThanOrEqual(Math.round(255 * 0.4));
      }),
    );
  });

  it('night mode dims everything except mute red and listening blue', () => {
    const night = { brightness: 0.02, maxBrightness: 1 };
    expect(indicatorHue([255, 0, 0])).toBe('mute');
    expect(indicatorHue([0, 0, 255])).toBe('listening');
    expect(indicatorHue([0, 200, 255])).toBe('listening');
    expect(indicatorHue([255, 160, 0])).toBeUndefined(); // orange: offline
    expect(indicatorHue([255, 200, 0])).toBeUndefined(); // yellow: notification
    expect(pixelScale([255, 0, 0], night)).toBeGreaterThanOrEqual(0.3);
    expect(pixelScale([0, 0, 255], night)).toBeGreaterThanOrEqual(0.3);
    expect(pixelScale([255, 200, 0], night)).toBe(0.02);
    expect(correctPixel([0, 0, 255], night)[2]).toBeGreaterThanOrEqual(76);
  });

  it('the cap still wins over the indicator floor (supply budget)', () => {
    expect(pixelScale([255, 0, 0], { brightness: 0, maxBrightness: 0.1 })).toBe(0.1);
  });

  it('packs 0x00RRGGBB words for rpi_ws281x', () => {
    expect([...encodeWs281xWords([[255, 0, 0], [0, 0, 0], [0, 255, 255]], full)]).toEqual([0xff0000, 0, 0x00ffff]);
  });
});
