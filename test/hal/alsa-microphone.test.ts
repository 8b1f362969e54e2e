import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../hal/base/clock.ts';
import { AlsaMicrophone } from '../../hal/drivers/audio/alsa-microphone.ts';
import type { HalError } from '../../hal/errors.ts';
import { chirp, makeWav, writeAlsaTestConfig } from './alsa-test-config.ts';

/** The real driver and the real arecord, fed a WAV through ALSA's `file` plugin. */
describe('AlsaMicrophone (real arecord, ALSA file plugin)', () => {
  it('delivers 1280-sample frames that match the WAV samples exactly', async () => {
    const signal = chirp(16_000);
    const wav = makeWav(signal);
    const cfg = await writeAlsaTestConfig('');
    const wavPath = join(cfg.dir, 'input.wav');
    await writeFile(wavPath, wav);
    const { env } = await writeAlsaTestConfig(wavPath);
    const mic = new AlsaMicrophone(new SystemClock(), { device: 'tallymic', env });
    const frames: Int16Array[] = [];
    let closeRequested: Promise<void> | undefined;
    let openDuringFrames = true;
    // The listener is attached only after open() resolves: no audio may be lost before it.
    await mic.open();
    const got = new Promise<void>((resolve) =>
      mic.on('frame', (f) => {
        frames.push(f);
        openDuringFrames &&= mic.isOpen;
        if (frames.length === 10 && !closeRequested) {
          closeRequested = mic.close();
          resolve();
        }
      }),
    );
    await got;
    expect(openDuringFrames).toBe(true);
    await closeRequested;
    expect(mic.isOpen).toBe(false);
    const captured = new Int16Array(frames.length * 1280);
    frames.forEach((f, i) => captured.set(f, i * 1280));
    expect(frames.every((f) => f.length === 1280)).toBe(true);
    // The file plugin reads its infile raw, header included: the 44-byte RIFF header
    // arrives as the first 22 samples, then the WAV's samples, in order, unchanged.
    const header = new Int16Array(wav.buffer.slice(wav.byteOffset, wav.byteOffset + 44));
    expect([...captured.subarray(0, 22)]).toEqual([...header]);
    expect([...captured.subarray(22, 22 + 12_000)]).toEqual([...signal.subarray(0, 12_000)]);
    const after = frames.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(frames.length).toBe(after); // nothing after close()
  });

  it('an unknown capture device rejects open() with DEVICE_UNAVAILABLE and arecord\'s reason', async () => {
    const { env } = await writeAlsaTestConfig('/dev/null');
    const mic = new AlsaMicrophone(new SystemClock(), { device: 'no-such-pcm', env });
    await expect(mic.open()).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE', message: expect.stringMatching(/no-such-pcm/) });
    expect(mic.isOpen).toBe(false);
  });

  it('a missing arecord executable is DEVICE_UNAVAILABLE', async () => {
    const mic = new AlsaMicrophone(new SystemClock(), { arecord: '/nonexistent/arecord' });
    await expect(mic.open()).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE' });
  });

  it('a capture that dies mid-stream emits error then closed (fails closed)', async () => {
    const cfg = await writeAlsaTestConfig('');
    // A stand-in arecord that streams a little audio and then crashes.
    const fake = join(cfg.dir, 'arecord-crash');
    await writeFile(fake, '#!/bin/sh\nhead -c 8000 /dev/urandom\nsleep 0.2\necho "arecord: read error: Input/output error" >&2\nexit 1\n', { mode: 0o755 });
    const mic = new AlsaMicrophone(new SystemClock(), { arecord: fake });
    const seen: string[] = [];
    const closed = new Promise<void>((r) => mic.on('closed', () => (seen.push('closed'), r())));
    mic.on('error', (e: HalError) => seen.push(e.code));
    mic.on('frame', () => seen.length === 0 && seen.push('frame'));
    await mic.open();
    await closed;
    expect(seen).toEqual(['frame', 'DEVICE_READ_FAILED', 'closed']);
    expect(mic.isOpen).toBe(false);
  });
});
