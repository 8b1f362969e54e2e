import { describe, expect, it } from 'vitest';
import { decodeAll } from '../../src/voice/wyoming/decoder.ts';
import { decodeEvent, encodeEvent, type WyomingEvent } from '../../src/voice/wyoming/events.ts';
import { frameFile, loadIndex } from './captures.ts';

const frame = (type: string, data: Record<string, unknown> = {}, payload: Buffer | null = null) => ({ type, data, payload });
function codeOf(f: () => unknown): { code?: string; details?: Record<string, unknown> } | null {
  try {
    f();
    return null;
  } catch (e) {
    return e as { code?: string; details?: Record<string, unknown> };
  }
}

describe('typed Wyoming events (one type per event)', () => {
  for (const e of loadIndex()) {
    it(`${e.file}: every frame is a known event and re-encodes byte for byte through its type`, () => {
      const events = decodeAll(frameFile(e.file)).map(decodeEvent);
      for (const ev of events) expect(ev.type).not.toBe('unknown');
      const out = Buffer.concat(events.map((ev) => encodeEvent(ev as WyomingEvent)));
      expect(out.equals(frameFile(e.file))).toBe(true);
    });
  }

  it('reads fields into their types; null counts as absent', () => {
    expect(decodeEvent(frame('timer-updated', { id: 't', is_active: false, total_seconds: 290 }))).toEqual({
      type: 'timer-updated',
      id: 't',
      isActive: false,
      totalSeconds: 290,
    });
    expect(decodeEvent(frame('error', { text: 'x', code: null }))).toEqual({ type: 'error', text: 'x', code: null });
    expect(decodeEvent(frame('transcript', { text: 'hi', context: { continue_conversation: true } }))).toMatchObject({
      context: { continue_conversation: true },
    });
    expect(decodeEvent(frame('x-new-event', { a: 1 }))).toEqual({ type: 'unknown', wireType: 'x-new-event' });
  });

  it.each([
    ['transcript', {}, 'text'],
    ['transcript', { text: 5 }, 'text'],
    ['synthesize', { text: null }, 'text'],
    ['error', { code: 'x' }, 'text'],
    ['ping', { text: 1 }, 'text'],
    ['audio-start', { rate: 'x', width: 2, channels: 1 }, 'rate'],
    ['audio-chunk', { rate: 16000, width: 2 }, 'channels'],
    ['audio-stop', { timestamp: -1 }, 'timestamp'],
    ['timer-started', { id: 1, total_seconds: 3 }, 'id'],
    ['timer-started', { id: 't', total_seconds: 1.5 }, 'total_seconds'],
    ['timer-updated', { id: 't', total_seconds: 3 }, 'is_active'],
    ['timer-finished', {}, 'id'],
    ['transcript', { text: 'a', context: [] }, 'context'],
    ['detect', { names: [1] }, 'names'],
    ['run-pipeline', { start_stage: 'intent', end_stage: 'tts', restart_on_end: false }, 'start_stage'],
  ])('%s %j: WYOMING_BAD_EVENT naming the field', (type, data, field) => {
    const err = codeOf(() => decodeEvent(frame(type, data)));
    expect(err?.code).toBe('WYOMING_BAD_EVENT');
    expect(err?.details).toEqual({ event: type, field });
  });

  it('writes what the satellite sends in the reference key order', () => {
    const out = encodeEvent({ type: 'run-pipeline', startStage: 'asr', endStage: 'tts', restartOnEnd: false });
    expect(out.equals(frameFile('run-pipeline-asr-tts.bin'))).toBe(true);
    expect(encodeEvent({ type: 'detection', name: 'ok_nabu', timestamp: 1984, speaker: null }).equals(frameFile('detection.bin'))).toBe(true);
  });
});
