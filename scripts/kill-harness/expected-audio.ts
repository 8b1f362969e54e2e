/** The audio the kill-harness writer stores for a tag: derived from the tag, so the parent can check it. */
export function expectedAudio(tag: string): Int16Array {
  const out = new Int16Array(1600 + (tag.length % 7) * 100);
  let h = 2166136261;
  for (const ch of tag) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  for (let i = 0; i < out.length; i++) {
    h = Math.imul(h ^ i, 16777619);
    out[i] = (h >>> 16) - 32768;
  }
  return out;
}
