import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav16 } from '../../hal/base/wav.ts';

/**
 * A test-local ALSA configuration (CI has no sound card): `default` is the null device
 * for playback, and `tallymic` is the `file` plugin reading `infile` as raw capture
 * data over a null slave. Pointed to with ALSA_CONFIG_PATH, never installed globally.
 */
export async function writeAlsaTestConfig(infile: string): Promise<{ dir: string; path: string; env: NodeJS.ProcessEnv }> {
  const dir = await mkdtemp(join(tmpdir(), 'tally-alsa-'));
  const path = join(dir, 'asound.conf');
  await writeFile(
    path,
    `pcm.!default { type null }
pcm.tallymic {
  type file
  slave.pcm { type null }
  file "/dev/null"
  infile "${infile}"
  format "raw"
}
`,
  );
  return { dir, path, env: { ALSA_CONFIG_PATH: path } };
}

/** A 16-bit WAV of the given samples. */
export function makeWav(samples: Int16Array, rate = 16_000, channels = 1): Buffer {
  return Buffer.from(encodeWav16(samples, rate, channels));
}

export function chirp(n: number): Int16Array {
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.round(12000 * Math.sin((i * i) / 4000) + ((i * 7) % 101));
  return s;
}
