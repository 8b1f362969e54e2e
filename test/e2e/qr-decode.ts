import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

let prepared = false;
/** Reads the QR code in a PNG with ZXing's reader: what a phone camera would read off the screen. */
export async function decodeQr(png: Buffer): Promise<string[]> {
  if (!prepared) {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
    prepared = true;
  }
  const found = await readBarcodes(new Uint8Array(png), { formats: ['QRCode'] });
  return found.filter((b) => b.isValid).map((b) => b.text);
}
