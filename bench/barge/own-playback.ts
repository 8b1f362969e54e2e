import { readWavAs16kMono } from '../../hal/base/wav.ts';
import { farEndOf } from '../../hal/aec/far-end.ts';
import { listWavs } from '../../src/wake/wake-eval.ts';
import { join } from 'node:path';

/**
 * The device's own playback for the barge-in bench, all synthesised or from the wake
 * corpus (license-clean): spoken replies (the corpus's ordinary speech), replies that say
 * the wake word (corpus playback/), music-like tones (chords, bass, noise hats) and the
 * device's chimes. 16 kHz mono int16 at full scale; the bench applies the volume.
 */
const RATE = 16_000;

export function musicLike(seconds: number, seed = 3): Int16Array {
  const out = new Int16Array(Math.round(seconds * RATE));
  const chords = [
    [261.63, 329.63, 392.0],
    [220.0, 261.63, 329.63],
    [174.61, 220.0, 261.63],
    [196.0, 246.94, 293.66],
  ];
  let s = seed;
  const beat = RATE / 4; // 250 ms notes
  for (let i = 0; i < out.length; i++) {
    const bar = Math.floor(i / (beat * 8)) % chords.length;
    const chord = chords[bar]!;
    const inBeat = (i % beat) / beat;
    const env = Math.exp(-3 * inBeat);
    const t = i / RATE;
    const arp = chord[Math.floor(i / beat) % 3]!;
    let v = 0.25 * Math.sin(2 * Math.PI * arp * 2 * t) * env;
    for (const f of chord) v += 0.12 * (Math.sin(2 * Math.PI * f * t) + 0.3 * Math.sin(4 * Math.PI * f * t));
    v += 0.2 * Math.sin(2 * Math.PI * (chord[0]! / 2) * t) * (0.6 + 0.4 * env);
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    if (Math.floor(i / (beat / 2)) % 2 === 1) v += 0.08 * ((s / 0x7fffffff) * 2 - 1) * Math.exp(-20 * ((i % (beat / 2)) / (beat / 2)));
    out[i] = Math.round(Math.max(-1, Math.min(1, v * 0.7)) * 24_000);
  }
  return out;
}

export function chimes(count: number): Int16Array {
  const one = farEndOf('chime', 1);
  const gap = RATE / 2;
  const out = new Int16Array(count * (one.length + gap));
  for (let k = 0; k < count; k++) out.set(one, k * (one.length + gap));
  return out;
}

export interface PlaybackPart {
  kind: 'reply' | 'reply-with-wake-word' | 'music' | 'chime';
  samples: Int16Array;
}

/** Own playback of at least `seconds`, parts interleaved and separated by 0.5 s pauses. */
export function ownPlayback(corpus: string, seconds: number): PlaybackPart[] {
  const speech = listWavs(join(corpus, 'negative'));
  const wakeReplies = listWavs(join(corpus, 'playback'));
  const parts: PlaybackPart[] = [];
  let total = 0;
  let k = 0;
  const add = (p: PlaybackPart) => {
    parts.push(p);
    total += p.samples.length / RATE + 0.5;
  };
  while (total < seconds) {
    // Per round: one spoken reply file (~60 s), 4 replies saying the wake word, 45 s of music, 6 chimes.
    add({ kind: 'reply', samples: readWavAs16kMono(speech[k % speech.length]!) });
    for (let j = 0; j < 4; j++) add({ kind: 'reply-with-wake-word', samples: readWavAs16kMono(wakeReplies[(k * 4 + j) % wakeReplies.length]!) });
    add({ kind: 'music', samples: musicLike(45, k + 1) });
    add({ kind: 'chime', samples: chimes(6) });
    k++;
  }
  return parts;
}

/** The parts as one far-end stream with 0.5 s pauses, and where each part starts. */
export function concatParts(parts: PlaybackPart[]): { far: Int16Array; starts: number[] } {
  const pause = RATE / 2;
  const far = new Int16Array(parts.reduce((n, p) => n + p.samples.length + pause, 0));
  const starts: number[] = [];
  let at = 0;
  for (const p of parts) {
    starts.push(at);
    far.set(p.samples, at);
    at += p.samples.length + pause;
  }
  return { far, starts };
}
