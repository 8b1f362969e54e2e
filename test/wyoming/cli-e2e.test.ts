import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HaClient } from '../../src/wyoming/testing/ha-client.ts';
import { WAKE_CLIP } from './captures.ts';


/** 2 s of silence (time for HA to connect), "Alexa, <command>", 1 s of silence: 16 kHz mono int16 WAV. */
function micWav(dir: string): string {
  const clip = readFileSync(WAKE_CLIP);
  const pcm = clip.subarray(44);
  const body = Buffer.concat([Buffer.alloc(16000 * 2 * 2), pcm, Buffer.alloc(16000 * 2)]);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + body.byteLength, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16000, 24);
  h.writeUInt32LE(32000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(body.byteLength, 40);
  const file = join(dir, 'mic.wav');
  writeFileSync(file, Buffer.concat([h, body]));
  return file;
}

describe('tally start --voice wyoming on the sim board from a WAV (real wake word, real process)', () => {
  it('a full local-wake session with the in-repo HA client, then exits when idle', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-wyoming-e2e-'));
    const child = spawn(
      process.execPath,
      ['bin/tally.js', 'start', '--board', 'sim', '--voice', 'wyoming', '--wyoming-port', '0', '--mic-file', micWav(dir), '--exit-when-idle', '--no-display', '--no-electron', '--data-dir', join(dir, 'data')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on port (\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`tally exited early (${code}): ${err}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const ha = await (async () => {
      await HaClient.probe({ port });
      return HaClient.connect({ port });
    })().catch((e) => {
      child.kill();
      throw e;
    });
    try {
    await ha.runSatellite({ ping: true });
    const detection = await ha.next('detection', 20_000);
    expect(detection.data.name).toBe('alexa');
    expect((await ha.next('run-pipeline')).data).toMatchObject({ start_stage: 'asr', end_stage: 'tts' });
    const stop = await ha.next('audio-stop', 15_000); // the device's own end-of-speech
    expect(ha.audioBytes).toBeGreaterThanOrEqual(16000); // at least the 500 ms pre-roll
    expect(stop.data.timestamp).toBe(Math.floor((ha.audioBytes / 2 / 16000) * 1000));
    ha.send('transcript', { text: 'what time is it' });
    ha.sendTts(Buffer.alloc(22050), 22050, { synthesize: 'It is noon' });
    await ha.next('played', 10_000);
    expect(await exited).toBe(0);
    expect(out).toMatch(/ledger: stream 1 wake "alexa" → wyoming:\/\/homeassistant@127\.0\.0\.1: (\d+) bytes/);
    expect(Number(/→ wyoming:\/\/homeassistant@127\.0\.0\.1: (\d+) bytes/.exec(out)![1])).toBe(ha.audioBytes);
    expect(out).toMatch(/done: 1 stream\(s\) in the ledger/);
    expect(out).not.toMatch(/what time is it|It is noon/); // transcripts are never logged
    expect(err).not.toMatch(/what time is it|It is noon/);
    } finally {
      ha.close();
      if (child.exitCode === null) child.kill();
    }
  });
});
