import { describe, it, expect } from 'vitest';
import { validateBoard } from '../../hal/board-definition.ts';
import { simBoard } from '../../boards/sim.ts';
import { createSimBoard } from '../../hal/sim/sim-board.ts';
import { ManualClock } from '../../hal/base/clock.ts';
import { TallyDevice } from '../../src/core/device.ts';
import { MemoryMuteStore } from '../../src/core/mute/mute-store.ts';
import { defaultSettings } from '../../src/core/settings/schema.ts';
import { SimVoiceService } from '../../src/voice/sim-voice-service.ts';
import { createWakeDetector, createEndpointDetector } from '../../src/wake/create-wake-detector.ts';
import type { WorkerWakeDetector } from '../../src/wake/worker-wake-detector.ts';
import type { WorkerEndpointDetector } from '../../src/wake/worker-endpoint-detector.ts';
import { readWavAs16kMono } from '../../hal/base/wav.ts';
import { wavPath } from './golden.ts';
import { scaledTimeout } from '../support/timeout-scale.ts';

const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
};

function indexOfRun(haystack: Int16Array, needle: Int16Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The real detector on the sim board: a WAV with the wake word goes into the simulated
 * mic, the worker detects it, the attention machine opens a stream, and the privacy
 * gate streams the audio. A command spoken 100 ms after the wake word (while the wake
 * tone plays: capture is never paused for it) must reach the voice service whole.
 */
describe('real wake word detector on the sim board', () => {
  it('wake word in the mic opens a real stream; the phrase 100 ms later arrives whole', async () => {
    const clock = new ManualClock(0);
    const board = validateBoard(simBoard);
    const sim = createSimBoard(board, clock);
    const voice = new SimVoiceService({ clock, autoRespond: false });
    const settings = defaultSettings();
    const wake = (await createWakeDetector({ wakeWords: settings.wakeWords, sensitivity: settings.sensitivity, refractoryMs: settings.refractoryMs })) as WorkerWakeDetector;
    const endpoint = (await createEndpointDetector({ endOfSpeechSilenceMs: settings.endOfSpeechSilenceMs })) as WorkerEndpointDetector;
    const device = new TallyDevice({ boardName: board.name, devices: sim, clock, settings, voice, muteStore: new MemoryMuteStore(false), wake, endpoint });
    await device.start();
    await settle();
    const detections: string[] = [];
    wake.on('detection', (d) => detections.push(d.wakeWord));

    const wakeWord = readWavAs16kMono(wavPath('tts_alexa'));
    const phrase = readWavAs16kMono(wavPath('tts_negative')); // "Turn on the kitchen lights."
    // The phrase starts 100 ms after the last audible sample of the wake word.
    let spokenEnd = wakeWord.length;
    while (spokenEnd > 0 && Math.abs(wakeWord[spokenEnd - 1]!) < 200) spokenEnd--;
    const phraseAt = 16_000 + spokenEnd + 1600;
    const audio = new Int16Array(phraseAt + phrase.length + 2 * 16_000);
    audio.set(wakeWord, 16_000);
    audio.set(phrase, phraseAt);

    // Real-time pace on the manual clock: one 80 ms frame per step, and the workers get to
    // finish that frame before time moves on (they run at ~2 % of real time).
    const frame = sim.microphone.frameSamples;
    let stateDuringPhrase = '';
    for (let at = 0; at < audio.length; at += frame) {
      sim.microphone.feed(audio.subarray(at, at + frame));
      await wake.flush();
      await endpoint.flush();
      await settle();
      clock.advance((frame * 1000) / 16_000);
      await settle();
      if (at >= phraseAt && !stateDuringPhrase) stateDuringPhrase = device.view.state;
    }

    expect(detections).toEqual(['alexa']);
    expect(stateDuringPhrase).toBe('listening');
    expect(voice.streams).toHaveLength(1);
    const rec = voice.streams[0]!;
    expect(rec.info).toMatchObject({ trigger: 'wake', wakeWord: 'alexa', preRollMs: settings.preRollMs });
    const streamed = voice.audioOf(rec);
    const at = indexOfRun(streamed, phrase);
    expect(at, 'the whole phrase, sample for sample, is in the stream').toBeGreaterThanOrEqual(0);
    // No gap anywhere: the stream is one contiguous run of the mic audio (pre-roll, the
    // audio during the wake tone, the phrase), starting exactly the pre-roll before the wake.
    const start = phraseAt - at;
    expect(streamed).toEqual(audio.subarray(start, start + streamed.length));
    expect(streamed.length).toBeGreaterThan(at + phrase.length);
    // The stream ended by end of speech (Silero), after the phrase, not by a timeout.
    expect(rec.end).toEqual({ kind: 'end', reason: 'end-of-speech' });
    // The wake tone played while the stream was capturing (so capture was not paused for it).
    const tone = sim.recorder.records({ kind: 'start' }).find((r) => r.detail === 'start');
    expect(tone).toBeDefined();
    const toneAtSample = (tone!.t * 16_000) / 1000;
    expect(toneAtSample).toBeGreaterThan(start);
    expect(toneAtSample).toBeLessThan(start + streamed.length);
    await device.stop();
  }, scaledTimeout(120_000));
});
