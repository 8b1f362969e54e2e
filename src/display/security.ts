import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The bridge's access rules. A per-boot random token (in the screen's URL) proves the
 * client was handed the URL by this device; the Origin check stops other web pages in a
 * browser on this machine from opening the socket; the Host check stops DNS rebinding.
 */
export function newBootToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Origins (scheme://host:port) a screen page may come from: the bridge's own. */
export function allowedOrigins(hosts: readonly string[], port: number): Set<string> {
  return new Set(hosts.map((h) => `http://${h.includes(':') ? `[${h}]` : h}:${port}`));
}

export function allowedHostHeaders(hosts: readonly string[], port: number): Set<string> {
  return new Set(hosts.map((h) => `${h.includes(':') ? `[${h}]` : h}:${port}`));
}

export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    // wasm-unsafe-eval: the ZXing barcode decoder is WebAssembly, served from this device.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    // The screen may use the camera for scanning; never the microphone (the mic is the device's).
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
    'Cache-Control': 'no-store',
  };
}
