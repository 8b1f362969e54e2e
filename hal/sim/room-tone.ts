import type { SimMicrophone } from './sim-microphone.ts';

/**
 * Quiet room noise fed into the simulated mic at real-time pace, so an interactive demo
 * streams real (if boring) audio when the button or the wake-word key opens a stream.
 * Returns a stop function.
 */
export function startRoomTone(mic: SimMicrophone, amplitude = 60): () => void {
  const frameMs = (mic.frameSamples * 1000) / 16_000;
  let seed = 12345;
  const timer = setInterval(() => {
    const frame = new Int16Array(mic.frameSamples);
    for (let i = 0; i < frame.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      frame[i] = Math.round(((seed / 0x7fffffff) * 2 - 1) * amplitude);
    }
    mic.feed(frame);
  }, frameMs);
  return () => clearInterval(timer);
}
