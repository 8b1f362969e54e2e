import { TallyError } from '../../hal/base/errors.ts';
import { nativeEngineAvailable, OnnxModel } from './onnx-model.ts';
import { WasmOnnxModel } from './wasm-onnx-model.ts';
import { WAKE_ENGINES, type WakeEngine, type WakeModel } from './model-types.ts';

export type WakeEngineChoice = WakeEngine | 'auto';

/**
 * `auto` (the default): the native engine where onnxruntime-node has a binary for this
 * CPU (x64, arm64), else WebAssembly (armv7: 32-bit Raspberry Pi OS). TALLY_WAKE_ENGINE
 * forces one (tests, the bench, an owner comparing them).
 */
export function resolveWakeEngine(choice: string = process.env.TALLY_WAKE_ENGINE ?? 'auto', nativeAvailable: () => boolean = nativeEngineAvailable): WakeEngine {
  if (choice === 'auto') return nativeAvailable() ? 'native' : 'wasm';
  if ((WAKE_ENGINES as readonly string[]).includes(choice)) return choice as WakeEngine;
  throw new TallyError('WAKE_ENGINE_UNKNOWN', `unknown wake engine (TALLY_WAKE_ENGINE) "${choice}"`, { validOptions: ['auto', ...WAKE_ENGINES] });
}

export function createWakeModel(path: string, engine: WakeEngine = resolveWakeEngine()): WakeModel {
  return engine === 'native' ? new OnnxModel(path) : new WasmOnnxModel(path);
}
