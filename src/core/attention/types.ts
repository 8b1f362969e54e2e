/**
 * The attention state machine's vocabulary. Everything the device shows (ring, LED,
 * tones, screen) is a pure function of an AttentionView.
 */
export type AttentionState =
  | 'idle'
  | 'listening'
  | 'thinking'
  | 'speaking'
  | 'follow-up'
  | 'muted'
  | 'offline'
  | 'error'
  | 'fault'
  | 'notification';

/** The only three ways a stream may open (invariant 3). */
export type Trigger = 'wake' | 'button' | 'follow-up';
export const TRIGGERS: readonly Trigger[] = ['wake', 'button', 'follow-up'];

export type StreamEndReason =
  | 'processed' // the voice service has the request (transcript / processing started)
  | 'end-of-speech' // local VAD heard the talker stop
  | 'max-duration'
  | 'no-speech'
  | 'follow-up-expired'
  | 'mute'
  | 'service-lost'
  | 'service-error'
  | 'indicator-failed'
  | 'fault'
  | 'button-stop'
  | 'paused'
  | 'barge-in'
  | 'button-release' // push-to-talk: the owner let go
  | 'shutdown';

export interface OpenStreamInfo {
  id: number;
  trigger: Trigger;
  /** Clock ms when the trigger happened; the pre-roll ends here. */
  triggeredAt: number;
  wakeWord?: string;
}

export interface AttentionView {
  /** Increases by one on every change; indicators acknowledge a version. */
  version: number;
  state: AttentionState;
  /** The stream that is open (or waiting for its indicator), if any. */
  stream: OpenStreamInfo | null;
  /** The last stream that closed, with why. */
  lastStreamEnd: { id: number; reason: StreamEndReason } | null;
  muted: boolean;
  /** True on boards with no mute relay: the mute is enforced in software only. */
  softwareMute: boolean;
  /** Home Assistant's pause-satellite: a software pause, shown unlike the hardware mute. */
  paused: boolean;
  online: boolean;
  /** `latched`: cleared only by a restart (egress mismatch, live mic while muted). */
  fault: { code: string; message: string; latched?: boolean } | null;
  /** Follow-up window end (clock ms) while state is follow-up. */
  followUpEndsAt: number | null;
  followUpMs: number | null;
  /** Direction of the talker in degrees (0 = first pixel), when the mic array knows it. */
  talkerDirection: number | null;
  notification: { kind: 'timer' | 'announcement' | 'notification'; label: string } | null;
  /** Running and paused timers (from the voice service), for countdowns on the screen. */
  timers: ViewTimer[];
  night: boolean;
  /** Short error shown for the `error` state. Codes only, never transcripts. */
  error: { code: string } | null;
  /** Inside the owner's scheduled mute hours (the relay opened by itself). */
  scheduledMute: boolean;
  /** The owner's own mute (the mute button / voice service), persisted across restarts. */
  ownerMuted: boolean;
  /** Push-to-talk is in force (the setting, or the schedule allowing a held button). */
  pushToTalk: boolean;
  /** Whether the mic relay may be closed: the one input the mute hardware follows. */
  micPowered: boolean;
  /** A dangerous voice command ("delete everything") waits for the action button until `endsAt`. */
  confirm: { what: 'all' | 'today'; endsAt: number } | null;
  /** Why the device is in a state the owner did not choose (e.g. MUTE_STATE_CORRUPT at boot). */
  notice: { code: string } | null;
}

export interface ViewTimer {
  id: string;
  name: string | null;
  active: boolean;
  /** Clock ms when it rings, while active. */
  endsAt: number | null;
  /** Time left when paused (and at the last update while active). */
  remainingMs: number;
}

export type ServiceSignal =
  | 'processing' // request received and being processed: the stream closes
  | 'response-start'
  | 'response-end'
  | 'error'
  | 'connection-lost'
  | 'connected';

export type AttentionEvent =
  | { type: 'wake'; wakeWord: string; at?: number }
  | { type: 'button-press' }
  | { type: 'button-release' }
  /** The relay closed and its sense line agreed: push-to-talk may open its stream. */
  | { type: 'mic-ready' }
  | { type: 'schedule'; active: boolean }
  /** Settings changed that the view derives from (push-to-talk, schedule). */
  | { type: 'settings-changed' }
  | { type: 'confirm-request'; what: 'all' | 'today'; timeoutMs: number }
  | { type: 'notice-dismissed' }
  | { type: 'mute'; muted: boolean }
  | { type: 'mute-toggle' }
  | { type: 'pause'; paused: boolean }
  | { type: 'service'; signal: ServiceSignal; code?: string }
  | { type: 'follow-up-request' }
  /** The owner ended the conversation ("thank you", "stop"): no reply, no follow-up. */
  | { type: 'end-conversation' }
  | { type: 'speech-start' }
  | { type: 'end-of-speech' }
  | { type: 'indicator-failed'; code: string }
  | { type: 'fault'; code: string; message: string; latched?: boolean }
  | { type: 'fault-cleared' }
  | { type: 'talker-direction'; degrees: number | null }
  | { type: 'notification'; kind: 'timer' | 'announcement' | 'notification'; label: string | null }
  | { type: 'timers'; timers: ViewTimer[] }
  | { type: 'night'; on: boolean };
