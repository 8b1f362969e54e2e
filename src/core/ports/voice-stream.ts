import type { Trigger } from '../attention/types.ts';

/**
 * The one road off the device: a stream of request audio to the voice service. Only the
 * privacy gate opens one (an import rule allows this module only to the gate, the ports
 * and the voice services that implement it; a source scan checks that nobody else calls
 * `openStream`).
 */
export interface VoiceStreamInfo {
  streamId: number;
  trigger: Trigger;
  preRollMs: number;
  wakeWord?: string;
}

export interface VoiceStream {
  write(samples: Int16Array): void;
  end(reason: string): void;
  abort(reason: string): void;
}

