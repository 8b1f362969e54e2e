import { encodeFrame } from './encoder.ts';

export interface SatelliteIdentity {
  name: string;
  area?: string | null;
  version: string;
  /** Wake word model names the device listens for (`detection.name` uses these). */
  wakeWords: string[];
  language?: string;
  /** Reported to HA (wyoming has no mute event; the info is what the protocol allows). */
  muted?: boolean;
}

const ATTRIBUTION = { name: 'Tally', url: '' };

/** The phrase HA shows for a model name: `ok_nabu` → `ok nabu`. */
export function wakePhrase(model: string): string {
  return model.replace(/[_-]+/g, ' ').trim();
}

/**
 * The `info` answer, in the shape HA's parser accepts (wyoming.md §5): every list present,
 * `satellite.{name, attribution, installed}` set, and our on-device wake engine listed
 * under `wake` with one model per wake word so HA can map `detection.name` to a phrase.
 */
export function buildInfoData(id: SatelliteIdentity): Record<string, unknown> {
  const language = id.language ?? 'en';
  return {
    asr: [],
    tts: [],
    handle: [],
    intent: [],
    wake: [
      {
        name: 'tally-wake',
        attribution: ATTRIBUTION,
        installed: true,
        description: 'On-device wake word (audio never leaves the device before detection)',
        version: id.version,
        models: id.wakeWords.map((w) => ({
          name: w,
          attribution: ATTRIBUTION,
          installed: true,
          description: wakePhrase(w),
          version: '1',
          languages: [language],
          phrase: wakePhrase(w),
        })),
      },
    ],
    mic: [],
    snd: [],
    satellite: {
      name: id.name,
      attribution: ATTRIBUTION,
      installed: true,
      description: `${id.name} (Tally)${id.muted ? ' — microphone muted' : ''}`,
      version: id.version,
      area: id.area ?? null,
      has_vad: true,
      active_wake_words: [...id.wakeWords],
      max_active_wake_words: id.wakeWords.length,
      supports_trigger: false,
      // Not in HA's schema (ignored there); read by tools that look. The description says it for people.
      muted: id.muted ?? false,
    },
  };
}

/** Encoded once and answered from cache: HA's probe gives us 1 s from TCP connect. */
export function encodeInfo(id: SatelliteIdentity): Buffer {
  return encodeFrame({ type: 'info', data: buildInfoData(id) });
}
