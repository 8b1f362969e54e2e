import type { Pcm, ToneName } from '../../tone-player.ts';

/**
 * The feedback tones, synthesised (no asset files to ship or license). Each tone is a
 * short sequence of notes; every note has a raised-cosine attack and release, so each
 * note starts and ends at exactly zero and nothing clicks, even when notes abut.
 * Levels stay at -6 dBFS: these are cues, not alarms.
 */
export const TONE_SAMPLE_RATE = 22_050;
const PEAK = 0.5;

interface Note {
  /** Fundamental in Hz; a second partial at 2f adds a little brightness. */
  hz: number;
  ms: number;
  /** Gap of silence after the note. */
  gapMs?: number;
  attackMs?: number;
  releaseMs?: number;
  /** Bell-like exponential decay instead of a flat sustain. */
  bell?: boolean;
}

const TONES: Record<ToneName, Note[]> = {
  // Rising: "I'm listening" (Echo-like short two-note up).
  start: [{ hz: 659.25, ms: 70 }, { hz: 987.77, ms: 90 }],
  // Falling: "got it".
  end: [{ hz: 987.77, ms: 70 }, { hz: 659.25, ms: 90 }],
  // Low and falling: the microphone is off.
  'mute-on': [{ hz: 523.25, ms: 90 }, { hz: 349.23, ms: 140 }],
  // Low and rising: the microphone is back.
  'mute-off': [{ hz: 349.23, ms: 90 }, { hz: 523.25, ms: 140 }],
  // Two short low buzzes.
  error: [{ hz: 220, ms: 110, gapMs: 60 }, { hz: 196, ms: 160 }],
  // Three bell notes for timers and notifications.
  chime: [
    { hz: 1046.5, ms: 260, bell: true },
    { hz: 1318.51, ms: 260, bell: true },
    { hz: 1567.98, ms: 420, bell: true },
  ],
};

export function synthesizeTone(name: ToneName, sampleRate = TONE_SAMPLE_RATE): Pcm {
  const notes = TONES[name];
  const total = notes.reduce((n, note) => n + samplesOf(note.ms, sampleRate) + samplesOf(note.gapMs ?? 0, sampleRate), 0);
  const samples = new Int16Array(total);
  let at = 0;
  for (const note of notes) {
    renderNote(note, sampleRate, samples, at);
    at += samplesOf(note.ms, sampleRate) + samplesOf(note.gapMs ?? 0, sampleRate);
  }
  return { sampleRate, channels: 1, samples };
}

/** The highest partial of a tone: bounds how fast its samples may change (click test). */
export function toneMaxHz(name: ToneName): number {
  return Math.max(...TONES[name].map((n) => n.hz * 2));
}

function samplesOf(ms: number, rate: number): number {
  return Math.round((ms * rate) / 1000);
}

function renderNote(note: Note, rate: number, out: Int16Array, offset: number): void {
  const n = samplesOf(note.ms, rate);
  const attack = Math.min(samplesOf(note.attackMs ?? 8, rate), n >> 1);
  const release = Math.min(samplesOf(note.releaseMs ?? (note.bell ? 60 : 15), rate), n - attack);
  for (let i = 0; i < n; i++) {
    let env = 1;
    if (i < attack) env = 0.5 - 0.5 * Math.cos((Math.PI * i) / attack);
    else if (i >= n - release) env = 0.5 - 0.5 * Math.cos((Math.PI * (n - 1 - i)) / Math.max(1, release - 1));
    if (note.bell) env *= Math.exp((-3 * i) / n);
    const t = i / rate;
    const wave = 0.8 * Math.sin(2 * Math.PI * note.hz * t) + 0.2 * Math.sin(4 * Math.PI * note.hz * t);
    out[offset + i] = Math.round(PEAK * 32767 * env * wave);
  }
}
