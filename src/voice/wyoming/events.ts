import { encodeFrame } from './encoder.ts';
import { EventFields, type EventData } from './fields.ts';
import type { WyomingFrame } from './frame.ts';

/**
 * One type per Wyoming event we send or act on, in the reference library's
 * dataclass-per-event shape (wyoming.md §4): `decodeEvent` reads a frame into one of these
 * and throws `WYOMING_BAD_EVENT` on a bad field; `encodeEvent` writes one in the
 * reference form. Field names are the wire's, camel-cased.
 */

export interface AudioFormat {
  rate: number;
  width: number;
  channels: number;
}

export type Describe = { type: 'describe' };
export type Info = { type: 'info'; data: EventData };
export type RunSatellite = { type: 'run-satellite' };
export type PauseSatellite = { type: 'pause-satellite' };
export type Ping = { type: 'ping'; text: string | null };
export type Pong = { type: 'pong'; text: string | null };
export type Detection = { type: 'detection'; name: string | null; timestamp: number | null; speaker: string | null };
export type PipelineStage = 'wake' | 'asr' | 'handle' | 'tts';
export type RunPipeline = { type: 'run-pipeline'; startStage: PipelineStage; endStage: PipelineStage; restartOnEnd: boolean };
export type AudioStart = { type: 'audio-start'; timestamp: number | null } & AudioFormat;
export type AudioChunk = { type: 'audio-chunk'; timestamp: number | null; payload: Buffer | null } & AudioFormat;
export type AudioStop = { type: 'audio-stop'; timestamp: number | null };
export type Played = { type: 'played' };
export type Transcribe = { type: 'transcribe'; language: string | null; name: string | null };
export type VoiceStarted = { type: 'voice-started'; timestamp: number | null };
export type VoiceStopped = { type: 'voice-stopped'; timestamp: number | null };
/** `context.continue_conversation` is how HA asks for a follow-up. */
export type Transcript = { type: 'transcript'; text: string; language: string | null; context: EventData | null };
/** `voice` is `{name, speaker?}`, `{language}` or `{}`; we show the text and ignore the voice. */
export type Synthesize = { type: 'synthesize'; text: string; voice: EventData | null; context: EventData | null };
export type WyomingError = { type: 'error'; text: string; code: string | null };
export type TimerStarted = {
  type: 'timer-started';
  id: string;
  totalSeconds: number;
  name: string | null;
  /** How the user said it ("5 minutes"); informational. */
  startHours: number | null;
  startMinutes: number | null;
  startSeconds: number | null;
};
/** `totalSeconds` is the time remaining now. */
export type TimerUpdated = { type: 'timer-updated'; id: string; isActive: boolean; totalSeconds: number };
export type TimerCancelled = { type: 'timer-cancelled'; id: string };
export type TimerFinished = { type: 'timer-finished'; id: string };
export type Detect = { type: 'detect'; names: string[] | null };
/** Any other type: framing accepts it, nobody acts on it. */
export type UnknownEvent = { type: 'unknown'; wireType: string };

export type WyomingEvent =
  | Describe | Info | RunSatellite | PauseSatellite | Ping | Pong | Detection | RunPipeline
  | AudioStart | AudioChunk | AudioStop | Played | Transcribe | VoiceStarted | VoiceStopped
  | Transcript | Synthesize | WyomingError | TimerStarted | TimerUpdated | TimerCancelled
  | TimerFinished | Detect;

type Decoded = WyomingEvent | UnknownEvent;
type Decoder = (f: EventFields, frame: WyomingFrame) => Decoded;

function format(f: EventFields): AudioFormat {
  return { rate: f.int('rate'), width: f.int('width'), channels: f.int('channels') };
}

/** `intent` is left out on purpose: the library allows it but HA raises on it (wyoming.md §4). */
const STAGES = ['wake', 'asr', 'handle', 'tts'] as const;
const stage = (f: EventFields, key: string): PipelineStage => f.oneOf(key, STAGES);

const DECODERS: Record<WyomingEvent['type'], Decoder> = {
  describe: () => ({ type: 'describe' }),
  info: (_f, frame) => ({ type: 'info', data: frame.data }),
  'run-satellite': () => ({ type: 'run-satellite' }),
  'pause-satellite': () => ({ type: 'pause-satellite' }),
  ping: (f) => ({ type: 'ping', text: f.optStr('text') }),
  pong: (f) => ({ type: 'pong', text: f.optStr('text') }),
  detection: (f) => ({ type: 'detection', name: f.optStr('name'), timestamp: f.optInt('timestamp'), speaker: f.optStr('speaker') }),
  'run-pipeline': (f) => ({ type: 'run-pipeline', startStage: stage(f, 'start_stage'), endStage: stage(f, 'end_stage'), restartOnEnd: f.bool('restart_on_end') }),
  'audio-start': (f) => ({ type: 'audio-start', ...format(f), timestamp: f.optInt('timestamp') }),
  'audio-chunk': (f, frame) => ({ type: 'audio-chunk', ...format(f), timestamp: f.optInt('timestamp'), payload: frame.payload }),
  'audio-stop': (f) => ({ type: 'audio-stop', timestamp: f.optInt('timestamp') }),
  played: () => ({ type: 'played' }),
  transcribe: (f) => ({ type: 'transcribe', language: f.optStr('language'), name: f.optStr('name') }),
  'voice-started': (f) => ({ type: 'voice-started', timestamp: f.optInt('timestamp') }),
  'voice-stopped': (f) => ({ type: 'voice-stopped', timestamp: f.optInt('timestamp') }),
  transcript: (f) => ({ type: 'transcript', text: f.str('text'), language: f.optStr('language'), context: f.optObject('context') }),
  synthesize: (f) => ({ type: 'synthesize', text: f.str('text'), voice: f.optObject('voice'), context: f.optObject('context') }),
  error: (f) => ({ type: 'error', text: f.str('text'), code: f.optStr('code') }),
  'timer-started': (f) => ({
    type: 'timer-started',
    id: f.str('id'),
    totalSeconds: f.int('total_seconds'),
    name: f.optStr('name'),
    startHours: f.optInt('start_hours'),
    startMinutes: f.optInt('start_minutes'),
    startSeconds: f.optInt('start_seconds'),
  }),
  'timer-updated': (f) => ({ type: 'timer-updated', id: f.str('id'), isActive: f.bool('is_active'), totalSeconds: f.int('total_seconds') }),
  'timer-cancelled': (f) => ({ type: 'timer-cancelled', id: f.str('id') }),
  'timer-finished': (f) => ({ type: 'timer-finished', id: f.str('id') }),
  detect: (f) => ({ type: 'detect', names: f.optStrList('names') }),
};

function isKnown(type: string): type is WyomingEvent['type'] {
  return Object.hasOwn(DECODERS, type);
}

/** Reads a decoded frame as a typed event; throws `WYOMING_BAD_EVENT` on a bad field. */
export function decodeEvent(frame: WyomingFrame): Decoded {
  if (!isKnown(frame.type)) return { type: 'unknown', wireType: frame.type };
  return DECODERS[frame.type](new EventFields(frame.type, frame.data), frame);
}

/** The wire data of an event (key order as the reference writes it), and its payload. */
export function eventData(e: WyomingEvent): { data: EventData | null; payload: Uint8Array | null } {
  switch (e.type) {
    case 'info':
      return { data: e.data, payload: null };
    case 'ping':
    case 'pong':
      return { data: { text: e.text }, payload: null };
    case 'detection':
      return { data: { name: e.name, timestamp: e.timestamp, speaker: e.speaker }, payload: null };
    case 'run-pipeline':
      return { data: { start_stage: e.startStage, end_stage: e.endStage, restart_on_end: e.restartOnEnd }, payload: null };
    case 'audio-start':
      return { data: { rate: e.rate, width: e.width, channels: e.channels, timestamp: e.timestamp }, payload: null };
    case 'audio-chunk':
      return { data: { rate: e.rate, width: e.width, channels: e.channels, timestamp: e.timestamp }, payload: e.payload };
    case 'audio-stop':
    case 'voice-started':
    case 'voice-stopped':
      return { data: { timestamp: e.timestamp }, payload: null };
    default:
      return { data: otherData(e), payload: null };
  }
}

/** Events we never send in product code; written for test clients in the reference key order. */
function otherData(e: WyomingEvent): EventData | null {
  switch (e.type) {
    case 'transcribe':
      return dropNulls({ name: e.name, language: e.language });
    case 'transcript':
      return dropNulls({ text: e.text, language: e.language, context: e.context });
    case 'synthesize':
      return dropNulls({ text: e.text, voice: e.voice, context: e.context });
    case 'error':
      return dropNulls({ text: e.text, code: e.code });
    case 'timer-started':
      return dropNulls({
        id: e.id,
        total_seconds: e.totalSeconds,
        name: e.name,
        start_hours: e.startHours,
        start_minutes: e.startMinutes,
        start_seconds: e.startSeconds,
      });
    case 'timer-updated':
      return { id: e.id, is_active: e.isActive, total_seconds: e.totalSeconds };
    case 'timer-cancelled':
    case 'timer-finished':
      return { id: e.id };
    case 'detect':
      return { names: e.names };
    default:
      return null; // describe, run-satellite, pause-satellite, played: no data
  }
}

function dropNulls(d: EventData): EventData {
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== null));
}

/** One event as frame bytes, in the reference writer's exact form. */
export function encodeEvent(e: WyomingEvent): Buffer {
  return encodeFrame({ type: e.type, ...eventData(e) });
}
