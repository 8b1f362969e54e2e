import { FRAME_MS } from './constants.ts';

/**
 * End-of-speech logic on per-frame Silero probabilities, in audio time. Speech starts at
 * the first frame ≥ `speechThreshold`; after that, `endOfSpeechSilenceMs` of consecutive
 * frames below `silenceThreshold` end it. The gap between the two thresholds is
 * hysteresis, so a probability hovering near 0.5 in a pause does not flap.
 * "No speech at all" is not decided here: the attention machine's no-speech timeout
 * (settings.noSpeechTimeoutMs) covers it, so a silent stream can never hang.
 */
export type EndpointSignal = 'speech-start' | 'end-of-speech';

export interface EndpointTrackerOptions {
  endOfSpeechSilenceMs: number;
  speechThreshold?: number;
  silenceThreshold?: number;
}

export class EndpointTracker {
  readonly silenceFrames: number;
  readonly speechThreshold: number;
  readonly silenceThreshold: number;
  #inSpeech = false;
  #ended = false;
  #silentRun = 0;

  constructor(opts: EndpointTrackerOptions) {
    this.silenceFrames = Math.max(1, Math.ceil(opts.endOfSpeechSilenceMs / FRAME_MS));
    this.speechThreshold = opts.speechThreshold ?? 0.5;
    this.silenceThreshold = opts.silenceThreshold ?? 0.35;
  }

  onFrame(vad: number): EndpointSignal | undefined {
    if (this.#ended) return undefined;
    if (!this.#inSpeech) {
      if (vad < this.speechThreshold) return undefined;
      this.#inSpeech = true;
      this.#silentRun = 0;
      return 'speech-start';
    }
    if (vad >= this.silenceThreshold) {
      this.#silentRun = 0;
      return undefined;
    }
    if (++this.#silentRun < this.silenceFrames) return undefined;
    this.#ended = true;
    return 'end-of-speech';
  }

  reset(): void {
    this.#inSpeech = false;
    this.#ended = false;
    this.#silentRun = 0;
  }
}
