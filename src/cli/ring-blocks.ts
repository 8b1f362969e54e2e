import type { RingFrame } from '../../hal/light-ring.ts';

/** The ring as coloured blocks for a true-colour terminal (or plain text without colour). */
export function ringBlocks(frame: RingFrame, colour: boolean): string {
  if (!colour) return frame.map((px) => (px[0] + px[1] + px[2] === 0 ? '.' : '#')).join('');
  return frame.map(([r, g, b]) => (r + g + b === 0 ? '\x1b[90m○\x1b[0m' : `\x1b[38;2;${r};${g};${b}m●\x1b[0m`)).join('');
}
