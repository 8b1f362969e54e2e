import { HalError } from '../errors.ts';
import type { EchoCanceller, EchoCancellerOptions } from './echo-canceller.ts';

/**
 * The Speex DSP echo canceller (libspeexdsp, MDF adaptive filter) called through koffi's
 * FFI: no compiler needed on the device, only the distribution's libspeexdsp1. The linear
 * filter is followed by Speex's preprocessor tied to the echo state, which suppresses the
 * residual echo the linear filter leaves (loudspeaker non-linearity, filter misadjustment).
 * Noise suppression, AGC and dereverb stay off: the wake word model has its own front end.
 */
export const SPEEX_BLOCK_SAMPLES = 256; // 16 ms at 16 kHz: 1280 = 5 blocks, FFT of 512
const SAMPLE_RATE = 16_000;
const SPEEX_ECHO_SET_SAMPLING_RATE = 24;
const SPEEX_PREPROCESS_SET_DENOISE = 0;
const SPEEX_PREPROCESS_SET_AGC = 2;
const SPEEX_PREPROCESS_SET_NOISE_SUPPRESS = 18;
const SPEEX_PREPROCESS_SET_DEREVERB = 8;
const SPEEX_PREPROCESS_SET_ECHO_SUPPRESS = 20;
const SPEEX_PREPROCESS_SET_ECHO_SUPPRESS_ACTIVE = 22;
const SPEEX_PREPROCESS_SET_ECHO_STATE = 24;

/** Speex's defaults: −40 dB of residual echo removed, −15 dB while someone talks over it. */
const ECHO_SUPPRESS_DB = -40;
const ECHO_SUPPRESS_ACTIVE_DB = -15;

type Ptr = unknown;
export interface SpeexLib {
  echoInit(frame: number, filter: number): Ptr;
  echoDestroy(st: Ptr): void;
  echoCancel(st: Ptr, rec: Int16Array, play: Int16Array, out: Int16Array): void;
  echoReset(st: Ptr): void;
  echoCtl(st: Ptr, req: number, val: Int32Array): number;
  preInit(frame: number, rate: number): Ptr;
  preDestroy(st: Ptr): void;
  preRun(st: Ptr, x: Int16Array): number;
  preCtlInt(st: Ptr, req: number, val: Int32Array): number;
  preCtlPtr(st: Ptr, req: number, val: Ptr): number;
}

/** koffi's slice used here. */
interface Koffi {
  load(path: string): { func(signature: string): (...args: unknown[]) => unknown };
  opaque(name: string): unknown;
  pointer(type: unknown): unknown;
}

/** Binds libspeexdsp. Throws (with the loader's message) when the library is missing. */
export function bindSpeex(koffi: Koffi, libPath = 'libspeexdsp.so.1'): SpeexLib {
  const lib = koffi.load(libPath);
  koffi.opaque('SpeexEchoState');
  koffi.opaque('SpeexPreprocessState');
  const f = (sig: string) => lib.func(sig) as unknown as (...a: never[]) => never;
  return {
    echoInit: f('SpeexEchoState *speex_echo_state_init(int frame_size, int filter_length)'),
    echoDestroy: f('void speex_echo_state_destroy(SpeexEchoState *st)'),
    echoCancel: f('void speex_echo_cancellation(SpeexEchoState *st, const int16_t *rec, const int16_t *play, _Out_ int16_t *out)'),
    echoReset: f('void speex_echo_state_reset(SpeexEchoState *st)'),
    echoCtl: f('int speex_echo_ctl(SpeexEchoState *st, int request, _Inout_ int32_t *ptr)'),
    preInit: f('SpeexPreprocessState *speex_preprocess_state_init(int frame_size, int sampling_rate)'),
    preDestroy: f('void speex_preprocess_state_destroy(SpeexPreprocessState *st)'),
    preRun: f('int speex_preprocess_run(SpeexPreprocessState *st, _Inout_ int16_t *x)'),
    preCtlInt: f('int speex_preprocess_ctl(SpeexPreprocessState *st, int request, _Inout_ int32_t *ptr)'),
    preCtlPtr: f('int speex_preprocess_ctl(SpeexPreprocessState *st, int request, SpeexEchoState *ptr)'),
  };
}

export class SpeexEchoCanceller implements EchoCanceller {
  readonly name: string;
  readonly blockSamples = SPEEX_BLOCK_SAMPLES;
  readonly tailMs: number;
  readonly #lib: SpeexLib;
  readonly #suppress: boolean;
  readonly #opts: EchoCancellerOptions;
  #echo: Ptr;
  #pre: Ptr;
  #closed = false;
  readonly #rec = new Int16Array(SPEEX_BLOCK_SAMPLES);
  readonly #play = new Int16Array(SPEEX_BLOCK_SAMPLES);
  readonly #out = new Int16Array(SPEEX_BLOCK_SAMPLES);
  lastEnergies = { mic: 0, linear: 0 };

  constructor(lib: SpeexLib, opts: EchoCancellerOptions = {}) {
    this.#lib = lib;
    this.tailMs = opts.tailMs ?? 128;
    this.#suppress = opts.residualSuppression ?? true;
    this.#opts = opts;
    const filter = Math.round((this.tailMs * SAMPLE_RATE) / 1000);
    this.#echo = lib.echoInit(SPEEX_BLOCK_SAMPLES, filter);
    if (!this.#echo) throw new HalError('DRIVER_AEC_INIT', 'aec', 'speex_echo_state_init returned NULL');
    lib.echoCtl(this.#echo, SPEEX_ECHO_SET_SAMPLING_RATE, Int32Array.of(SAMPLE_RATE));
    this.#pre = this.#suppress ? this.#makePreprocessor() : null;
    this.name = `speexdsp (tail ${this.tailMs} ms${this.#suppress ? ', residual suppression' : ''})`;
  }

  process(mic: Int16Array, farEnd: Int16Array): Int16Array {
    if (this.#closed) throw new HalError('DEVICE_CLOSED', 'aec', 'echo canceller is closed');
    if (mic.length !== farEnd.length || mic.length % SPEEX_BLOCK_SAMPLES !== 0) {
      throw new HalError('INVALID_ARGUMENT', 'aec', `frames must be equal multiples of ${SPEEX_BLOCK_SAMPLES} samples (mic ${mic.length}, far end ${farEnd.length})`);
    }
    const out = new Int16Array(mic.length);
    let micE = 0;
    let linE = 0;
    for (let at = 0; at < mic.length; at += SPEEX_BLOCK_SAMPLES) {
      this.#rec.set(mic.subarray(at, at + SPEEX_BLOCK_SAMPLES));
      this.#play.set(farEnd.subarray(at, at + SPEEX_BLOCK_SAMPLES));
      this.#lib.echoCancel(this.#echo, this.#rec, this.#play, this.#out);
      for (let i = 0; i < SPEEX_BLOCK_SAMPLES; i++) {
        micE += this.#rec[i]! * this.#rec[i]!;
        linE += this.#out[i]! * this.#out[i]!;
      }
      if (this.#pre) this.#lib.preRun(this.#pre, this.#out);
      out.set(this.#out, at);
    }
    this.lastEnergies = { mic: micE, linear: linE };
    return out;
  }

  reset(): void {
    if (this.#closed) return;
    this.#lib.echoReset(this.#echo);
    // The preprocessor's noise and echo estimates belong to the old path too.
    if (this.#pre) {
      this.#lib.preDestroy(this.#pre);
      this.#pre = this.#makePreprocessor();
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pre) this.#lib.preDestroy(this.#pre);
    this.#lib.echoDestroy(this.#echo);
    this.#pre = null;
    this.#echo = null;
  }

  #makePreprocessor(): Ptr {
    const lib = this.#lib;
    const pre = lib.preInit(SPEEX_BLOCK_SAMPLES, SAMPLE_RATE);
    if (!pre) throw new HalError('DRIVER_AEC_INIT', 'aec', 'speex_preprocess_state_init returned NULL');
    // Speex applies its spectral gain — and with it the residual echo suppression — only
    // with denoise on (with it off the gain is forced to 1). Noise suppression stays mild.
    lib.preCtlInt(pre, SPEEX_PREPROCESS_SET_DENOISE, Int32Array.of(1));
    lib.preCtlInt(pre, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, Int32Array.of(-6));
    for (const req of [SPEEX_PREPROCESS_SET_AGC, SPEEX_PREPROCESS_SET_DEREVERB]) lib.preCtlInt(pre, req, Int32Array.of(0));
    lib.preCtlInt(pre, SPEEX_PREPROCESS_SET_ECHO_SUPPRESS, Int32Array.of(this.#opts.echoSuppressDb ?? ECHO_SUPPRESS_DB));
    lib.preCtlInt(pre, SPEEX_PREPROCESS_SET_ECHO_SUPPRESS_ACTIVE, Int32Array.of(this.#opts.echoSuppressActiveDb ?? ECHO_SUPPRESS_ACTIVE_DB));
    lib.preCtlPtr(pre, SPEEX_PREPROCESS_SET_ECHO_STATE, this.#echo);
    return pre;
  }
}
