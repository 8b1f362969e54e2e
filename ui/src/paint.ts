/**
 * Runs `fn` once what was just rendered has reached the screen: the first animation frame
 * callback runs before that frame's paint, the second after it. This is the screen's half
 * of invariant 1 — the device may only send audio once the blue bar is visible.
 */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(fn));
}
