import { beforeAll, describe, expect, it } from 'vitest';
import { tonePlayerContract } from '../contracts/tone-player.contract.ts';
import { TONE_NAMES } from '../../hal/tone-player.ts';
import { SpeakerTonePlayer, type SpeakerConstructor } from '../../hal/drivers/audio/speaker-tone-player.ts';
import { startWorkerSpeaker } from '../../hal/drivers/audio/worker-speaker.ts';
import { writeAlsaTestConfig } from './alsa-test-config.ts';
import { createRequire } from 'node:module';

/**
 * `speaker` does not build on linux/arm64 (node-speaker#184; tones play through aplay
 * there): only the ARM emulation check (TALLY_ARM=1) may skip these, and says so.
 * Anywhere else a missing package fails them.
 */
function speakerInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('speaker');
    return true;
  } catch {
    return false;
  }
}
const skip = process.env.TALLY_ARM === '1' && !speakerInstalled();
if (skip) console.warn('speaker-alsa: SKIPPED — the speaker package is not installed on this ARM build (aplay plays tones instead)');

/**
 * The real `speaker` package (libout123 → ALSA) playing into ALSA's null device. The
 * test-local config must be in the environment before the native module loads, so it is
 * imported only after ALSA_CONFIG_PATH is set (vitest runs each file in its own process).
 */
beforeAll(async () => {
  const { path } = await writeAlsaTestConfig('/dev/null');
  process.env.ALSA_CONFIG_PATH = path;
});

describe.skipIf(skip)('SpeakerTonePlayer (real speaker package on the main thread, ALSA null device)', () => {
  it('plays every tone and a PCM reply to completion, and stop() cuts', async () => {
    const Speaker = ((await import('speaker')) as unknown as { default: SpeakerConstructor }).default;
    const player = new SpeakerTonePlayer(Speaker);
    for (const name of TONE_NAMES) expect(await player.play(name)).toEqual({ completed: true });
    expect(await player.play({ sampleRate: 16000, channels: 1, samples: new Int16Array(16000) })).toEqual({ completed: true });
    const long = player.play({ sampleRate: 16000, channels: 1, samples: new Int16Array(16000 * 5) });
    player.stop();
    expect((await long).completed).toBe(false);
    await player.close();
  });
});

if (!skip) tonePlayerContract('speaker in a worker thread (real package, ALSA null device)', async () => {
  const worker = await startWorkerSpeaker();
  const player = new SpeakerTonePlayer(worker.Speaker, { onClose: worker.terminate });
  return { player, advance: () => new Promise((r) => setTimeout(r, 5)), cleanup: () => player.close() };
});
