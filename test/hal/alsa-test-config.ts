import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** A 16 kHz mono S16 WAV with a known, non-repeating signal. */
export function makeWav(samples: Int16Array, rate = 16_000, channels = 1): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

export function chirp(n: number): Int16Array {
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.round(12000 * Math.sin((i * i) / 4000) + ((i * 7) % 101));
  return s;
}
