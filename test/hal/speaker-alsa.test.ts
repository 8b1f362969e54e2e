import { describe, expect, it } from 'vitest';
import { TONE_NAMES } from '../../hal/tone-player.ts';
import { SpeakerTonePlayer, type SpeakerConstructor } from '../../hal/drivers/audio/speaker-tone-player.ts';
import { writeAlsaTestConfig } from './alsa-test-config.ts';

/**
 * The real `speaker` package (libout123 → ALSA) playing every tone into ALSA's null
 * device. The test-local config must be in the environment before the native module
 * loads, so it is imported here, after setting ALSA_CONFIG_PATH (vitest runs each file
 * in its own process).
 */
describe('SpeakerTonePlayer (real speaker package, ALSA null device)', () => {
  it('plays every tone and a PCM reply to completion, and stop() cuts', async () => {
    const { path } = await writeAlsaTestConfig('/dev/null');
    process.env.ALSA_CONFIG_PATH = path;
    const Speaker = ((await import('speaker')) as unknown as { default: SpeakerConstructor }).default;
    const player = new SpeakerTonePlayer(Speaker);
    for (const name of TONE_NAMES) expect(await player.play(name)).toEqual({ completed: true });
    const reply = { sampleRate: 16000, channels: 1 as const, samples: new Int16Array(16000) };
    expect(await player.play(reply)).toEqual({ completed: true });
    const long = player.play({ sampleRate: 16000, channels: 1, samples: new Int16Array(16000 * 5) });
    player.stop();
    expect((await long).completed).toBe(false);
    await player.close();
  });
});
