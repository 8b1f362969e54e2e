import { readWavAs16kMono } from '../hal/base/wav.ts';

const WINDOW = 160; // 10 ms at 16 kHz

const PAUSE_WINDOWS = 10; // 100 ms below threshold: the pause after "Alexa,"

/**
 * Where the speech is in a clip, in samples: its onset (the first 10 ms window whose RMS
 * exceeds a tenth of the loudest window's, and an absolute floor) and the end of the first
 * spoken group — the wake word, which the corpus always follows with a comma, i.e. a pause
 * of at least 100 ms (or the end of speech when there is none).
 */
export function speechSpan(samples: Int16Array): { onset: number; wordEnd: number } {
  const rms: number[] = [];
  for (let at = 0; at + WINDOW <= samples.length; at += WINDOW) {
    let sum = 0;
    for (let i = at; i < at + WINDOW; i++) sum += samples[i]! * samples[i]!;
    rms.push(Math.sqrt(sum / WINDOW));
  }
  const threshold = Math.max(300, 0.1 * Math.max(...rms));
  const first = rms.findIndex((v) => v > threshold);
  if (first < 0) throw new Error('no speech in clip');
  let end = first;
  for (let quiet = 0, i = first; i < rms.length; i++) {
    if (rms[i]! > threshold) (end = i + 1), (quiet = 0);
    else if (++quiet >= PAUSE_WINDOWS) break;
  }
  return { onset: first * WINDOW, wordEnd: end * WINDOW };
}

/** `leadMs` of quiet room noise, the clip, `tailMs` of quiet; with where its speech starts and its wake word ends. */
export function utterance(path: string, leadMs: number, tailMs: number): { samples: Int16Array; onset: number; wordEnd: number } {
  const clip = readWavAs16kMono(path);
  const lead = Math.round(leadMs * 16);
  const out = new Int16Array(lead + clip.length + Math.round(tailMs * 16));
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919) % 61) - 30; // a quiet, deterministic room
  out.set(clip, lead);
  const span = speechSpan(clip);
  return { samples: out, onset: lead + span.onset, wordEnd: lead + span.wordEnd };
}
