import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { SimMicrophone } from '../../hal/sim/sim-microphone.ts';
import { SimRecorder } from '../../hal/sim/sim-recorder.ts';

/** A mic-file recording held back by a listener that is behind (listener-pace.ts). */
describe('SimMicrophone.play with a pace', () => {
  async function setup() {
    const clock = new ManualClock();
    const mic = new SimMicrophone(new SimRecorder(clock), { frameSamples: 160 });
    const frames: number[] = [];
    mic.on('frame', (f) => frames.push(f[0]!));
    await mic.open();
    // Ten frames, each marked by its index in its first sample.
    const clip = new Int16Array(160 * 10).map((_, i) => Math.floor(i / 160));
    return { clock, mic, frames, clip };
  }
  const flushMicrotasks = () => new Promise<void>((r) => setImmediate(r));

  it('plays one frame per frame-duration while the pace has nothing to wait for', async () => {
    const { clock, mic, frames, clip } = await setup();
    let asked = 0;
    const played = mic.play(clip, { pace: () => void asked++ });
    expect(frames).toEqual([0]);
    clock.advance(10 * 4);
    expect(frames).toEqual([0, 1, 2, 3, 4]);
    clock.advance(10 * 10);
    await played;
    expect(frames).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(asked).toBe(10);
  });

  it('holds the next frame until the pace resolves, however much clock time passes', async () => {
    const { clock, mic, frames, clip } = await setup();
    let release: () => void = () => {};
    const played = mic.play(clip, { pace: () => (frames.length === 3 ? new Promise<void>((r) => (release = r)) : undefined) });
    clock.advance(10 * 2);
    expect(frames).toEqual([0, 1, 2]);
    clock.advance(10_000);
    await flushMicrotasks();
    expect(frames).toEqual([0, 1, 2]);
    release();
    await flushMicrotasks();
    // Caught up: the next frame comes one frame-duration later, not at once.
    expect(frames).toEqual([0, 1, 2]);
    clock.advance(10);
    expect(frames).toEqual([0, 1, 2, 3]);
    clock.advance(10 * 10);
    await played;
    expect(frames).toHaveLength(10);
  });

  it('a stop while the pace is awaited ends the playback: nothing more is fed when it resolves', async () => {
    const { clock, mic, frames, clip } = await setup();
    let release: () => void = () => {};
    const played = mic.play(clip, { pace: () => (frames.length === 2 ? new Promise<void>((r) => (release = r)) : undefined) });
    clock.advance(10);
    expect(frames).toEqual([0, 1]);
    mic.stopPlayback();
    await played;
    release();
    await flushMicrotasks();
    clock.advance(10 * 20);
    expect(frames).toEqual([0, 1]);
  });

  it('a rejected pace does not stop the recording', async () => {
    const { clock, mic, frames, clip } = await setup();
    const played = mic.play(clip, { pace: () => (frames.length === 1 ? Promise.reject(new Error('listener closed')) : undefined) });
    await flushMicrotasks();
    clock.advance(10 * 12);
    await played;
    expect(frames).toHaveLength(10);
  });
});
