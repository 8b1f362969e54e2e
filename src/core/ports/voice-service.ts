import type { Emitter } from '../../../hal/base/typed-emitter.ts';
import type { Pcm } from '../../../hal/tone-player.ts';
import type { VoiceStream, VoiceStreamInfo } from './voice-stream.ts';

/**
 * VoiceService — where requests go (Home Assistant over Wyoming, or the labelled
 * simulated service). Only the privacy gate may call `openStream`: a test scans the
 * sources to keep it that way.
 *
 * Audio is 16 kHz mono int16. `openStream` is only called once the listening
 * indicator has been acknowledged. `VoiceStream.end()` says the request audio is
 * complete (audio-stop); `abort()` cancels it (mute, fault, button stop).
 *
 * Events are what the service says back; the device maps them onto the attention
 * machine. `transcript` / `response-text` carry the owner's words: they are never logged,
 * only handed to the history store and the screen.
 */
export interface VoiceTimer {
  id: string;
  name: string | null;
  active: boolean;
  /** Clock ms when it rings (while active). */
  endsAt: number;
  remainingSeconds: number;
}

export interface VoiceServiceEvents {
  [event: string]: unknown[];
  connected: [];
  disconnected: [code: string];
  /** The service has the request; stop streaming. */
  processing: [streamId: number];
  transcript: [streamId: number, text: string];
  'response-text': [streamId: number, text: string];
  /** Spoken reply audio to play through the TonePlayer. */
  'response-audio': [streamId: number, audio: Pcm];
  'response-start': [streamId: number];
  'response-end': [streamId: number];
  error: [code: string, streamId: number | null];
  /** The service asks to keep listening (continue conversation). */
  'follow-up-request': [];
  /** Timers / announcements shown on ring and screen. */
  notification: [kind: 'timer' | 'announcement' | 'notification', label: string | null];
  /** The service's running timers, whenever they change (countdowns on the screen). */
  timers: [timers: VoiceTimer[]];
  /** Home Assistant's pause-satellite / run-satellite. */
  paused: [paused: boolean];
  /**
   * The service asks to mute (ESPHome's mute switch entity). The device accepts a mute
   * always; an unmute only on a board without a hardware relay — a hardware mute is
   * undone only by the owner's hand.
   */
  'mute-request': [muted: boolean];
}

export interface VoiceService extends Emitter<VoiceServiceEvents> {
  /** Where audio goes, for the ledger: e.g. `sim`, `wyoming://homeassistant@192.0.2.5`. */
  readonly destination: string;
  readonly connected: boolean;
  /** A short label the terminal and screen show, e.g. "SIMULATED voice service". */
  readonly label: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  openStream(info: VoiceStreamInfo): VoiceStream;
  /** Tells the service the reply finished playing on the device (Wyoming `played`). */
  played?(streamId: number): void;
  /**
   * The device cut this reply (or announcement) short: the owner said the wake word over
   * it (barge-in). The service ends that run; the new request follows as its own stream
   * (Wyoming: `played` for the old run, then detection + a new run-pipeline).
   */
  interrupted?(streamId: number): void;
  /**
   * The device's mute state, whenever it changes (and once at start): Wyoming puts it in
   * `info`; ESPHome publishes it as the mute switch's state. The hook for every protocol.
   */
  reportMute?(muted: boolean): void;
}
