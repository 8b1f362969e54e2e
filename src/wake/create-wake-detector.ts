import type { EndpointDetector, WakeDetector } from '../core/ports/wake-detector.ts';
import { resolveWakeModel } from './models.ts';
import { thresholdFor, type Sensitivity } from './sensitivity.ts';
import { WorkerWakeDetector } from './worker-wake-detector.ts';
import { WorkerEndpointDetector } from './worker-endpoint-detector.ts';
import { TallyError } from '../../hal/base/errors.ts';

/**
 * The factories the device uses. Wake words are stock names (alexa, hey_jarvis,
 * hey_mycroft, hey_rhasspy) or paths to user `.onnx` classifier heads; unknown names
 * throw WAKE_MODEL_UNKNOWN before any thread starts.
 *
 * `modelPaths`, when given, overrides the file for the wake word at the same index.
 */
export async function createWakeDetector(opts: {
  wakeWords: string[];
  sensitivity: 'low' | 'default' | 'high';
  refractoryMs: number;
  modelPaths?: string[];
}): Promise<WorkerWakeDetector & WakeDetector> {
  if (opts.wakeWords.length === 0) {
    throw new TallyError('WAKE_MODEL_UNKNOWN', 'no wake word configured', { validOptions: ['alexa', 'hey_jarvis', 'hey_mycroft', 'hey_rhasspy'] });
  }
  const heads = opts.wakeWords.map((w, i) => {
    const ref = resolveWakeModel(w);
    const override = opts.modelPaths?.[i];
    return override ? { name: ref.name, path: resolveWakeModel(override).path } : ref;
  });
  const threshold = thresholdFor(opts.sensitivity as Sensitivity);
  return WorkerWakeDetector.start({
    kind: 'wake',
    heads,
    thresholds: heads.map(() => threshold),
    refractoryMs: opts.refractoryMs,
  });
}

export async function createEndpointDetector(opts: { endOfSpeechSilenceMs: number }): Promise<WorkerEndpointDetector & EndpointDetector> {
  return WorkerEndpointDetector.start({ kind: 'endpoint', endOfSpeechSilenceMs: opts.endOfSpeechSilenceMs });
}
