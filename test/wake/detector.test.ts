import { describe, it, expect, afterEach } from 'vitest';
import { createWakeDetector, createEndpointDetector } from '../../src/wake/create-wake-detector.ts';
import type { WakeDetection } from '../../src/core/ports/wake-detector.ts';
import type { WorkerWakeDetector } from '../../src/wake/worker-wake-detector.ts';
import { TallyError } from '../../hal/base/errors.ts';
import { loadGolden, streamOf } from './golden.ts';

const golden = loadGolden();
const stream = (id: string) => streamOf(golden.inputs.find((i) => i.id === id)!);
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

async function wakeDetector(wakeWords: string[], refractoryMs = 2000): Promise<{ d: WorkerWakeDetector; hits: WakeDetection[] }> {
  const d = (await createWakeDetector({ wakeWords, sensitivity: 'default', refractoryMs })) as WorkerWakeDetector;
  open.push(d);
  const hits: WakeDetection[] = [];
  d.on('detection', (h) => hits.push(h));
  return { d, hits };
}

/** Pushes like a microphone would: small frames of a size unrelated to 1280. */
function feed(d: { push(s: Int16Array): void }, samples: Int16Array, piece = 320): void {
  for (let i = 0; i < samples.length; i += piece) d.push(samples.subarray(i, i + piece));
}

describe('worker wake detector', () => {
  it('detects "alexa" once in tts_alexa, at the audio time of the first frame ≥ threshold', async () => {
    const { d, hits } = await wakeDetector(['alexa']);
    feed(d, stream('tts_alexa'));
    expect(hits).toEqual([]); // push returns before inference: results only come back as events
    await d.flush();
    expect(hits).toHaveLength(1);
    expect(hits[0]!.wakeWord).toBe('alexa');
    expect(hits[0]!.score).toBeGreaterThanOrEqual(0.5);
    expect(hits[0]!.audioMs).toBe(21 * 80); // golden: frames 20–24 ≥ 0.5; the event fires on frame 20
  });

  it('stays quiet on a negative phrase and on silence', async () => {
    const { d, hits } = await wakeDetector(['alexa', 'hey_jarvis', 'hey_mycroft', 'hey_rhasspy']);
    feed(d, stream('tts_negative'));
    feed(d, stream('silence'));
    await d.flush();
    expect(hits).toEqual([]);
  });

  it('listens for several wake words at once', async () => {
    const { d, hits } = await wakeDetector(['alexa', 'hey_jarvis']);
    feed(d, stream('tts_hey_jarvis'));
    feed(d, stream('tts_alexa'));
    await d.flush();
    expect(hits.map((h) => h.wakeWord)).toEqual(['hey_jarvis', 'alexa']);
    expect(d.wakeWords).toEqual(['alexa', 'hey_jarvis']);
  });

  it('counts the refractory period in audio time', async () => {
    // Two utterances 2.88 s apart (one stream each), pushed far faster than real time.
    const twice = new Int16Array(stream('tts_alexa').length * 2);
    twice.set(stream('tts_alexa'));
    twice.set(stream('tts_alexa'), twice.length / 2);
    const short = await wakeDetector(['alexa'], 2000);
    const long = await wakeDetector(['alexa'], 4000);
    feed(short.d, twice, 4096);
    feed(long.d, twice, 4096);
    await Promise.all([short.d.flush(), long.d.flush()]);
    expect(short.hits).toHaveLength(2);
    const gap = short.hits[1]!.audioMs! - short.hits[0]!.audioMs!;
    expect(gap).toBeGreaterThanOrEqual(2000);
    expect(gap).toBeLessThan(4000);
    expect(long.hits).toHaveLength(1);
  });

  it('drops detections while suppressed (self-wake guard), and detects again after', async () => {
    const { d, hits } = await wakeDetector(['alexa'], 2000);
    d.setSuppressed(true);
    feed(d, stream('tts_alexa'));
    d.setSuppressed(false);
    await d.flush();
    expect(hits).toEqual([]);
    feed(d, stream('tts_alexa'));
    await d.flush();
    expect(hits).toHaveLength(1);
  });

  it('reset() restarts audio time and drops buffered audio', async () => {
    const { d, hits } = await wakeDetector(['alexa']);
    const s = stream('tts_alexa');
    feed(d, s.subarray(0, 20_000)); // half-way through the padded clip
    d.reset();
    feed(d, s);
    await d.flush();
    expect(hits.map((h) => h.audioMs)).toEqual([21 * 80]);
  });

  it('bounds its backlog: audio far faster than real time is dropped, reported, then recovered from', async () => {
    const { d, hits } = await wakeDetector(['alexa']);
    const errors: string[] = [];
    d.on('error', (code) => errors.push(code));
    const noise = stream('noise_burst');
    for (let i = 0; i < 8; i++) d.push(noise); // 25.6 s in one go: more than the 10 s allowed
    expect(errors).toEqual(['WAKE_DETECTOR_OVERLOADED']);
    expect(d.droppedSamples).toBeGreaterThan(0);
    await d.flush();
    feed(d, stream('tts_alexa'));
    await d.flush();
    expect(hits.map((h) => h.wakeWord)).toEqual(['alexa']);
    expect(errors).toHaveLength(1);
  });

  it('refuses unknown wake words with WAKE_MODEL_UNKNOWN naming the valid ones', async () => {
    const err = await createWakeDetector({ wakeWords: ['computer'], sensitivity: 'default', refractoryMs: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(TallyError);
    expect(err.code).toBe('WAKE_MODEL_UNKNOWN');
    expect(err.validOptions).toEqual(expect.arrayContaining(['alexa', 'hey_jarvis', 'hey_mycroft', 'hey_rhasspy']));
  });

  it('a .onnx that is not a classifier head fails start() with WAKE_MODEL_INVALID', async () => {
    const { backbonePaths } = await import('../../src/wake/models.ts');
    const err = await createWakeDetector({ wakeWords: [backbonePaths().embedding], sensitivity: 'default', refractoryMs: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(TallyError);
    expect(err.code).toBe('WAKE_MODEL_INVALID');
  });

  it('close() ends the worker; later pushes are ignored', async () => {
    const { d, hits } = await wakeDetector(['alexa']);
    await d.close();
    feed(d, stream('tts_alexa'));
    await expect(d.flush()).rejects.toMatchObject({ code: 'WAKE_DETECTOR_CLOSED' });
    expect(hits).toEqual([]);
  });
});

describe('worker endpoint detector (Silero VAD)', () => {
  it('reports speech start and, after the configured silence, end of speech', async () => {
    const d = await createEndpointDetector({ endOfSpeechSilenceMs: 700 });
    open.push(d);
    const events: string[] = [];
    d.on('speech-start', () => events.push('speech-start'));
    d.on('end-of-speech', () => events.push('end-of-speech'));
    const s = stream('tts_alexa_command'); // 1 s silence, 1.9 s speech, ≥ 1 s silence
    feed(d, s.subarray(0, 16_000 + 31_000));
    await d.flush();
    expect(events).toEqual(['speech-start']);
    feed(d, s.subarray(47_000));
    await d.flush();
    expect(events).toEqual(['speech-start', 'end-of-speech']);
  });

  it('never reports speech in silence', async () => {
    const d = await createEndpointDetector({ endOfSpeechSilenceMs: 700 });
    open.push(d);
    let n = 0;
    d.on('speech-start', () => n++);
    feed(d, stream('silence'));
    await d.flush();
    expect(n).toBe(0);
  });
});
