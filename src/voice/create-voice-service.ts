import { TallyError } from '../../hal/base/errors.ts';
import type { Clock } from '../../hal/base/clock.ts';
import type { Settings } from '../core/settings/schema.ts';
import { SimVoiceService } from './sim-voice-service.ts';
import type { VoiceService } from '../core/ports/voice-service.ts';

export const VOICE_SERVICES = ['sim', 'wyoming', 'esphome'] as const;

export interface VoiceServiceOptions {
  clock: Clock;
  dataDir: string;
  /** --wyoming-port */
  wyomingPort?: number;
  /** --esphome-port */
  esphomePort?: number;
  /** --esphome-plaintext */
  esphomePlaintext?: boolean;
  /** Device name and wake words for the Wyoming satellite's `info`. */
  settings?: Settings;
  /** Codes and addresses only (never transcripts or audio). */
  log?: (line: string) => void;
}

/** `--voice NAME`: builds the voice service. Each case loads its module lazily. */
export async function createVoiceService(name: string, opts: VoiceServiceOptions): Promise<VoiceService> {
  switch (name) {
    case 'sim':
      return new SimVoiceService({ clock: opts.clock });
    case 'wyoming': {
      const { createWyomingSatellite } = await import('./wyoming/create-satellite.ts');
      return createWyomingSatellite(opts);
    }
    case 'esphome': {
      const { createEsphomeSatellite } = await import('./esphome/create-esphome-satellite.ts');
      return createEsphomeSatellite(opts);
    }
    default:
      throw new TallyError('VOICE_SERVICE_UNKNOWN', `unknown voice service "${name}"`, { validOptions: [...VOICE_SERVICES] });
  }
}
