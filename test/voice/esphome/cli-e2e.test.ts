import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav16 } from '../../../hal/base/wav.ts';
import { keyPath } from '../../../src/voice/esphome/key-store.ts';
import { WAKE_CLIP } from '../../wyoming/captures.ts';
import { connectPeer, until, VoiceAssistantEvent as E, type HaPeer } from './support/ha-peer.ts';

const silence = (s: number) => Buffer.alloc(Math.round(16000 * 2 * s));

/** 2 s of silence, then "Alexa, <command>" twice, 3 s apart: 16 kHz mono WAV. */
function micWav(dir: string): string {
  const pcm = readFileSync(WAKE_CLIP).subarray(44);
  const body = Buffer.concat([silence(2), pcm, silence(3), pcm, silence(3)]);
  const samples = new Int16Array(body.buffer, body.byteOffset, body.byteLength / 2);
  const file = join(dir, 'mic.wav');
  writeFileSync(file, encodeWav16(samples, 16000, 1));
  return file;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  port: number;
  exited: Promise<number | null>;
  out: () => string;
  err: () => string;
}

async function startTally(dir: string, wav: string): Promise<Running> {
  const child = spawn(
    process.execPath,
    ['bin/tally.js', 'start', '--board', 'sim', '--voice', 'esphome', '--esphome-port', '0', '--mic-file', wav, '--exit-when-idle', '--no-display', '--no-electron', '--data-dir', join(dir, 'data')],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /esphome: listening on port (\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`tally exited early (${code}): ${err}`)));
  });
  return { child, port, exited, out: () => out, err: () => err };
}

/**
 * HA's side of one run: accept (the peer does), wait until the device closed the stream at
 * its own end of speech (its ledger line; esphome-client drops the data-less `end=true`
 * message, so the peer cannot see it), answer with a TTS URL.
 */
async function serveOneRun(ha: HaPeer, tally: Running, n: number, ttsUrl: string, text: string): Promise<void> {
  await until(() => ha.rec.requests.filter((r) => r.start).length === n, 20_000, `request ${n}`);
  await until(() => new RegExp(`ledger: stream ${n} `).test(tally.out()), 15_000, `end of speech ${n}`);
  ha.event(E.RUN_START);
  ha.event(E.STT_START);
  ha.event(E.STT_END, { text });
  ha.event(E.INTENT_START);
  ha.event(E.INTENT_END, { conversation_id: `c${n}`, continue_conversation: '0' });
  ha.event(E.TTS_START, { text: 'It is noon' });
  ha.event(E.TTS_END, { url: ttsUrl });
  ha.event(E.RUN_END);
  await until(() => ha.rec.announceFinished.length === n, 10_000, `announce finished ${n}`);
}

describe('tally start --voice esphome on the sim board from a WAV (real wake word, real process, Noise)', () => {
  it('two encrypted sessions with esphome-client as Home Assistant; TTS fetched from HA; the ledger counts what HA received', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-esphome-e2e-'));
    const fetched: string[] = [];
    const wav = Buffer.from(encodeWav16(new Int16Array(8000), 16000, 1));
    const http = createServer((req, res) => {
      fetched.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const ttsUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}/api/tts_proxy/reply.wav`;
    const tally = await startTally(dir, micWav(dir));
    let ha: HaPeer | null = null;
    let firstBytes = 0;
    try {
      const key = readFileSync(keyPath(join(dir, 'data')), 'utf8').trim();
      ha = await connectPeer(tally.port, key);
      await serveOneRun(ha, tally, 1, ttsUrl, 'what time is it');
      firstBytes = ha.rec.audioBytes;
      expect(firstBytes).toBeGreaterThanOrEqual(16000); // at least the 500 ms pre-roll
      expect(ha.rec.requests[0]).toMatchObject({ start: true, wakeWordPhrase: 'Alexa' });
      await serveOneRun(ha, tally, 2, ttsUrl, 'what is the weather');
      expect(ha.rec.announceFinished).toEqual([true, true]);
      expect(fetched).toHaveLength(2);
      expect(await tally.exited).toBe(0);
    } finally {
      await ha?.close();
      if (tally.child.exitCode === null) tally.child.kill();
      http.close();
    }
    const out = tally.out();
    expect(Number(/ledger: stream 1 wake "alexa" → esphome:\/\/homeassistant@127\.0\.0\.1: (\d+) bytes/.exec(out)![1])).toBe(firstBytes);
    expect(out).toMatch(/done: 2 stream\(s\) in the ledger/);
    expect(out + tally.err()).not.toMatch(/what time is it|It is noon|weather/);
  });
});
