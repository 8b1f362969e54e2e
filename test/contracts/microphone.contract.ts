import { describe, expect, it } from 'vitest';
import { useHarness } from './use-harness.ts';
import type { Microphone } from '../../hal/microphone.ts';

export interface MicrophoneHarness {
  mic: Microphone;
  /** Sound arriving at the capture source; resolves once the driver could have delivered it. */
  inject(samples: Int16Array): Promise<void>;
  cleanup?(): Promise<void>;
}

function ramp(n: number, start = 1): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => ((start + i) % 30000) + 1);
}

export function microphoneContract(name: string, make: () => Promise<MicrophoneHarness>): void {
  describe(`Microphone contract: ${name}`, () => {
    const setup = useHarness(make);

    it('delivers exactly the captured samples, in frames of frameSamples', async () => {
      const h = await setup();
      const frames: Int16Array[] = [];
      h.mic.on('frame', (f) => frames.push(f));
      await h.mic.open();
      expect(h.mic.isOpen).toBe(true);
      const audio = ramp(h.mic.frameSamples * 4);
      await h.inject(audio);
      expect(frames.length).toBe(4);
      for (const f of frames) expect(f.length).toBe(h.mic.frameSamples);
      const all = new Int16Array(frames.length * h.mic.frameSamples);
      frames.forEach((f, i) => all.set(f, i * h.mic.frameSamples));
      expect(Array.from(all)).toEqual(Array.from(audio));
    });

    it('no frame arrives after close(); close is idempotent and emits closed once', async () => {
      const h = await setup();
      let frames = 0;
      let closed = 0;
      h.mic.on('frame', () => frames++);
      h.mic.on('closed', () => closed++);
      await h.mic.open();
      await h.mic.close();
      await h.mic.close();
      expect(h.mic.isOpen).toBe(false);
      await h.inject(ramp(h.mic.frameSamples * 2));
      expect(frames).toBe(0);
      expect(closed).toBe(1);
    });

    it('does not capture before open()', async () => {
      const h = await setup();
      let frames = 0;
      h.mic.on('frame', () => frames++);
      await h.inject(ramp(h.mic.frameSamples * 2));
      expect(frames).toBe(0);
    });
  });
}
