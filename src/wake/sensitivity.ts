import { TallyError } from '../../hal/base/errors.ts';

/**
 * Sensitivity presets → score thresholds. Lower threshold = more sensitive = fewer
 * misses, more false wakes. `default` is upstream's documented operating point (0.5);
 * see README "Wake word" for the measured miss / false-accept figures per preset.
 */
export const SENSITIVITY_THRESHOLDS = { low: 0.7, default: 0.5, high: 0.3 } as const;
export type Sensitivity = keyof typeof SENSITIVITY_THRESHOLDS;

export function thresholdFor(sensitivity: string): number {
  const t = (SENSITIVITY_THRESHOLDS as Record<string, number>)[sensitivity];
  if (t === undefined) {
    throw new TallyError('WAKE_SENSITIVITY_UNKNOWN', `unknown sensitivity "${sensitivity}"`, {
      validOptions: Object.keys(SENSITIVITY_THRESHOLDS),
    });
  }
  return t;
}
