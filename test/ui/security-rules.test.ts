import { describe, expect, it } from 'vitest';
import { allowedHostHeaders, allowedOrigins, newBootToken, securityHeaders, tokenMatches } from '../../src/display/security.ts';

// The screen bridge's access rules on their own (test/ui/bridge-handshake.test.ts drives
// them through a live socket): who may open the screen's socket, and what every page tells
// the browser it may not do.
describe('screen bridge access rules', () => {
  it('a token matches only itself: not a prefix, not a longer string, not a missing one', () => {
    const t = newBootToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t, t.slice(0, -1))).toBe(false);
    expect(tokenMatches(t, t + 'A')).toBe(false);
    expect(tokenMatches(t, '')).toBe(false);
    expect(tokenMatches(t, null)).toBe(false);
    expect(tokenMatches(t, undefined)).toBe(false);
    const flipped = t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
    expect(tokenMatches(t, flipped)).toBe(false);
  });

  it('boot tokens are long and random: 24 bytes of base64url, never the same twice', () => {
    const a = newBootToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newBootToken()).not.toBe(a);
  });

  it('only the bridge’s own origin and Host may reach it; an IPv6 host is bracketed as browsers send it', () => {
    expect([...allowedOrigins(['127.0.0.1', 'localhost'], 8123)]).toEqual(['http://127.0.0.1:8123', 'http://localhost:8123']);
    expect([...allowedHostHeaders(['127.0.0.1', 'localhost'], 8123)]).toEqual(['127.0.0.1:8123', 'localhost:8123']);
    expect([...allowedOrigins(['::1'], 80)]).toEqual(['http://[::1]:80']);
    expect([...allowedHostHeaders(['fe80::1'], 80)]).toEqual(['[fe80::1]:80']);
    expect(allowedOrigins(['127.0.0.1'], 8123).has('http://127.0.0.1:8124')).toBe(false);
    expect(allowedOrigins(['127.0.0.1'], 8123).has('https://127.0.0.1:8123')).toBe(false);
  });

  it('every page forbids what the screen never needs: the microphone, framing, foreign scripts, connections and referrers, caching', () => {
    const h = securityHeaders();
    const csp = new Map(h['Content-Security-Policy']!.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]));
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': "'none'",
      'script-src': "'self' 'wasm-unsafe-eval'",
      'style-src': "'self'",
      'img-src': "'self' data: blob:",
      'media-src': "'self' blob:",
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    const { 'Content-Security-Policy': _csp, ...rest } = h;
    expect(rest).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
      'Cache-Control': 'no-store',
    });
  });
});
