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

/**
 * What the transport itself counted for one stream, below the gate: audio payload bytes
 * actually handed to the socket (Wyoming: `audio-chunk` payloads in the connection's
 * write), and whether the transport has stopped taking audio (connection gone, capped).
 * The gate reconciles it with its own count after every write (egress cross-check).
 */
export interface Egress {
  bytes: number;
  closed: boolean;
  /** Bytes the transport accepted but still holds (ESPHome waits for HA's port=0); not yet out. */
  held?: number;
}

export interface VoiceStream {
  write(samples: Int16Array): void;
  /** The transport's own count for this stream (read after each write). */
  readonly egress: Egress;
  end(reason: string): void;
  abort(reason: string): void;
}

