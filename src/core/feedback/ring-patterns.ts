import type { Rgb, RingFrame } from '../../../hal/light-ring.ts';
import type { AttentionState, AttentionView } from '../attention/types.ts';

/**
 * The ring's pattern for each attention state — a pure function of (view, pixel count,
 * time), after design.md's table (anchors: Echo light ring, AVS, HA Voice PE).
 */
export const COLORS = {
  off: [0, 0, 0],
  blue: [0, 40, 255],
  cyan: [0, 220, 255],
  red: [255, 0, 0],
  orange: [255, 100, 0],
  yellow: [255, 190, 0],
  dimBlue: [0, 10, 70],
} as const satisfies Record<string, Rgb>;

/** States whose ring moves, so the feedback loop must keep rendering frames. */
export function isAnimated(view: AttentionView): boolean {
  return view.confirm !== null || ['thinking', 'speaking', 'follow-up', 'offline', 'error', 'fault', 'notification'].includes(view.state);
}

/** States that show the listening indicator: the gate waits for these to be acknowledged. */
export const LISTENING_STATES: readonly AttentionState[] = ['listening', 'follow-up'];

function fill(n: number, c: Rgb): Rgb[] {
  return Array.from({ length: n }, () => c);
}

function scale(c: Rgb, k: number): Rgb {
  const f = Math.max(0, Math.min(1, k));
  return [Math.round(c[0] * f), Math.round(c[1] * f), Math.round(c[2] * f)];
}

/** Pixel index nearest to a direction in degrees (0 = pixel 0, clockwise). */
export function pixelForDirection(degrees: number, n: number): number {
  return ((Math.round((degrees / 360) * n) % n) + n) % n;
}

export function ringFrame(view: AttentionView, n: number, tMs: number): RingFrame {
  // A dangerous voice command waits for the action button: a yellow arc that empties.
  if (view.confirm && (view.state === 'idle' || view.state === 'thinking' || view.state === 'speaking')) {
    const lit = Math.max(1, Math.ceil((Math.max(0, view.confirm.endsAt - tMs) / 10_000) * n));
    return Array.from({ length: n }, (_, i) => (i < lit ? COLORS.yellow : COLORS.off));
  }
  switch (view.state) {
    case 'idle':
      return fill(n, COLORS.off);
    case 'listening': {
      // Solid blue with a cyan spot toward the talker (or at the top when unknown).
      const frame = fill(n, COLORS.blue);
      frame[pixelForDirection(view.talkerDirection ?? 0, n)] = COLORS.cyan;
      return frame;
    }
    case 'thinking': {
      const phase = Math.floor(tMs / 250) % 2;
      return Array.from({ length: n }, (_, i) => ((i + phase) % 2 === 0 ? COLORS.blue : COLORS.cyan));
    }
    case 'speaking': {
      const k = 0.55 + 0.45 * Math.sin((2 * Math.PI * tMs) / 1200);
      return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? scale(COLORS.blue, k) : scale(COLORS.cyan, k)));
    }
    case 'follow-up': {
      // Blue arc shrinking with the time left in the window; never fully dark while open.
      const left = view.followUpEndsAt !== null && view.followUpMs ? Math.max(0, view.followUpEndsAt - tMs) / view.followUpMs : 1;
      const lit = Math.max(1, Math.ceil(left * n));
      return Array.from({ length: n }, (_, i) => (i < lit ? COLORS.blue : COLORS.dimBlue));
    }
    case 'muted':
      // Muted for a reason the owner did not choose (corrupt mute file): red with orange marks.
      if (view.notice) return Array.from({ length: n }, (_, i) => (i % 3 === 0 ? COLORS.orange : COLORS.red));
      return fill(n, COLORS.red);
    case 'offline': {
      const head = Math.floor(tMs / 80) % n;
      return Array.from({ length: n }, (_, i) => {
        const d = (head - i + n) % n;
        return d < 3 ? scale(COLORS.orange, 1 - d / 3) : COLORS.off;
      });
    }
    case 'error':
    case 'fault': {
      const k = 0.3 + 0.7 * Math.abs(Math.sin((2 * Math.PI * tMs) / 1000));
      return fill(n, scale(COLORS.red, k));
    }
    case 'notification': {
      const k = 0.3 + 0.7 * Math.abs(Math.sin((2 * Math.PI * tMs) / 2000));
      return fill(n, scale(COLORS.yellow, k));
    }
  }
}

/** Is this frame recognisably the listening indicator? (Used by tests and the terminal view.) */
export function isListeningFrame(frame: RingFrame): boolean {
  return frame.length > 0 && frame.every((px) => px[2] >= 200 && px[0] === 0);
}
