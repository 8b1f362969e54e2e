import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, normalize, sep, extname } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.ico': 'image/x-icon',
};

/** The ZXing decoder's wasm, served by the device itself: the screen never loads code from a CDN. */
export function zxingWasmPath(): string {
  return createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
}

export interface StaticFile {
  body: Buffer;
  type: string;
}

/**
 * Resolves a URL path to a file of the built UI (or the vendored wasm). Paths that would
 * leave the bundle directory resolve to nothing. Unknown paths get index.html (one-page app).
 */
export async function readStatic(distDir: string, urlPath: string): Promise<StaticFile | null> {
  if (urlPath === '/vendor/zxing_reader.wasm') {
    return { body: await readFile(zxingWasmPath()), type: MIME['.wasm']! };
  }
  const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).replace(/^\/+/, '');
  const full = normalize(join(distDir, rel));
  if (!full.startsWith(normalize(distDir) + sep)) return null;
  try {
    return { body: await readFile(full), type: MIME[extname(full)] ?? 'application/octet-stream' };
  } catch {
    if (extname(rel)) return null;
    return { body: await readFile(join(distDir, 'index.html')), type: MIME['.html']! };
  }
}
