import { parentPort } from 'node:worker_threads';
import type { SpeakerConstructor, SpeakerStream } from './speaker-tone-player.ts';
import type { SpeakerWorkerReply, SpeakerWorkerRequest } from './worker-speaker.ts';

/**
 * Runs the `speaker` package off the main thread. libout123's close drains the ALSA
 * buffer synchronously; on the main thread that would stall capture, wake word and the
 * ring for up to the buffer's length at the end of every tone.
 */
const port = parentPort!;
const Speaker = ((await import('speaker')) as unknown as { default: SpeakerConstructor }).default;
const streams = new Map<number, SpeakerStream>();
const post = (m: SpeakerWorkerReply) => port.postMessage(m);

port.on('message', (m: SpeakerWorkerRequest) => {
  const stream = streams.get(m.stream);
  switch (m.type) {
    case 'open':
      try {
        const s = new Speaker(m.format);
        streams.set(m.stream, s);
        s.on('error', (e) => post({ type: 'error', stream: m.stream, message: e?.message ?? 'speaker error' }));
        s.on('close', () => {
          streams.delete(m.stream);
          post({ type: 'close', stream: m.stream });
        });
      } catch (e) {
        post({ type: 'error', stream: m.stream, message: (e as Error).message });
      }
      return;
    case 'write':
      if (!stream) return post({ type: 'written', stream: m.stream, id: m.id, error: 'stream is not open' });
      stream.write(Buffer.from(m.chunk), (err) => post({ type: 'written', stream: m.stream, id: m.id, ...(err ? { error: err.message } : {}) }));
      return;
    case 'end':
      stream?.end();
      return;
    case 'close':
      stream?.close(m.flush);
      return;
  }
});
post({ type: 'ready' });
