import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';

let prepared = false;
/** A PNG of a barcode, drawn by ZXing's writer (the test's "photo" of a product). */
export async function barcodePng(text: string, format: 'EAN13' | 'QRCode'): Promise<Buffer> {
  if (!prepared) {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm'));
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
    prepared = true;
  }
  const r = await writeBarcode(text, { format, scale: 4 });
  if (!r.image) throw new Error(`zxing writer: ${r.error}`);
  return Buffer.from(await r.image.arrayBuffer());
}

/**
 * A one-frame Y4M video of the barcode (white page, black modules), for Chromium's fake
 * camera (`--use-file-for-fake-video-capture`): the camera path end to end, no hardware.
 */
export async function barcodeY4m(text: string, width = 640, height = 480): Promise<Buffer> {
  await barcodePng(text, 'EAN13');
  const { symbol } = await writeBarcode(text, { format: 'EAN13' });
  const scale = Math.floor((width * 0.8) / symbol.width);
  const barH = Math.floor(height * 0.5);
  const x0 = Math.floor((width - symbol.width * scale) / 2);
  const y0 = Math.floor((height - barH) / 2);
  const y = Buffer.alloc(width * height, 235);
  for (let py = 0; py < barH; py++) {
    const sy = Math.min(symbol.height - 1, Math.floor((py * symbol.height) / barH));
    for (let sx = 0; sx < symbol.width; sx++) {
      if (symbol.data[sy * symbol.width + sx]! >= 128) continue;
      y.fill(16, (y0 + py) * width + x0 + sx * scale, (y0 + py) * width + x0 + (sx + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`), y, chroma]);
}
