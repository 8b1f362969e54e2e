import type { EchoCancellerLoad, EchoCancellerOptions } from './echo-canceller.ts';
import type { SpeexLib } from './speex-echo-canceller.ts';

/**
 * Loads the echo canceller lazily, only when a board asks for it: koffi (an optional
 * package) and libspeexdsp.so.1 (a system library). Anything missing is not an error
 * the device stops for: it returns a coded reason and the device keeps the self-wake
 * guard (deaf while it plays), which `tally doctor` reports.
 */
let cached: Promise<{ lib: SpeexLib } | { code: 'AEC_FFI_MISSING' | 'AEC_LIBRARY_MISSING'; reason: string }> | undefined;

export interface LoadEchoCancellerOptions extends EchoCancellerOptions {
  /** Test hook: the library file to load instead of libspeexdsp.so.1. */
  libraryPath?: string;
}

export async function loadEchoCanceller(opts: LoadEchoCancellerOptions = {}): Promise<EchoCancellerLoad> {
  const bound = opts.libraryPath ? await bind(opts.libraryPath) : await (cached ??= bind('libspeexdsp.so.1'));
  if ('code' in bound) return { ok: false, code: bound.code, reason: bound.reason };
  try {
    const { SpeexEchoCanceller } = await import('./speex-echo-canceller.ts');
    return { ok: true, canceller: new SpeexEchoCanceller(bound.lib, opts) };
  } catch (e) {
    return { ok: false, code: 'AEC_INIT_FAILED', reason: (e as Error).message };
  }
}

async function bind(path: string) {
  let koffi;
  try {
    const mod = (await import('koffi')) as { default?: unknown };
    koffi = (mod.default ?? mod) as Parameters<typeof import('./speex-echo-canceller.ts').bindSpeex>[0];
  } catch (e) {
    return { code: 'AEC_FFI_MISSING' as const, reason: `the optional package "koffi" is not installed (npm install koffi): ${(e as Error).message}` };
  }
  try {
    const { bindSpeex } = await import('./speex-echo-canceller.ts');
    return { lib: bindSpeex(koffi, path) };
  } catch (e) {
    return { code: 'AEC_LIBRARY_MISSING' as const, reason: `${path} could not be loaded (apt-get install libspeexdsp1): ${(e as Error).message}` };
  }
}
