import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/history-store.ts';
import { HaClient } from '../support/wyoming-ha-client.ts';
import { WAKE_CLIP } from './captures.ts';

const silence = (s: number) => Buffer.alloc(Math.round(16000 * 2 * s));

/** 2 s of silence (time for HA to connect), then "Alexa, <command>" `times` times, 3 s apart: 16 kHz mono int16 WAV. */
function micWav(dir: string, times = 1): string {
  const pcm = readFileSync(WAKE_CLIP).subarray(44);
  const parts = [silence(2)];
  for (let i = 0; i < times; i++) parts.push(pcm, silence(3));
  const body = Buffer.concat(parts);
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

interface Running {
  child: ChildProcessWithoutNullStreams;
  port: number;
  exited: Promise<number | null>;
  out: () => string;
  err: () => string;
}

/** `tally start --voice wyoming --wyoming-port 0 ...` as a real process; resolves once it listens. */
async function startTally(dir: string, wav: string): Promise<Running> {
  // Private by default (issue 14): this test is about the saved history, so the owner opts in.
  const pre = HistoryStore.open({ dataDir: join(dir, 'data') });
  await pre.setSettings({ saveRecordings: true });
  await pre.close();
  const child = spawn(
    process.execPath,
    ['bin/tally.js', 'start', '--board', 'sim', '--voice', 'wyoming', '--wyoming-port', '0', '--mic-file', wav, '--exit-when-idle', '--no-display', '--no-electron', '--data-dir', join(dir, 'data')],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on port (\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`tally exited early (${code}): ${err}`)));
  });
  return { child, port, exited, out: () => out, err: () => err };
}

/** HA's side of one local-wake request: wait for the device's detection and audio-stop, answer. */
async function serveOneRequest(ha: HaClient, transcript: string, reply: string): Promise<void> {
  const detection = await ha.next('detection', 20_000);
  expect(detection.data.name).toBe('alexa');
  expect((await ha.next('run-pipeline')).data).toMatchObject({ start_stage: 'asr', end_stage: 'tts' });
  await ha.next('audio-stop', 15_000); // the device's own end-of-speech
  ha.send('transcript', { text: transcript });
  ha.sendTts(Buffer.alloc(22050), 22050, { synthesize: reply });
  await ha.next('played', 10_000);
}

describe('tally start --voice wyoming on the sim board from a WAV (real wake word, real process)', () => {
  it('two full local-wake sessions with the in-repo HA client; "delete what I just said" deletes the first recording', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-wyoming-e2e-'));
    const tally = await startTally(dir, micWav(dir, 2));
    let ha: HaClient | null = null;
    let firstBytes = 0;
    try {
      await HaClient.probe({ port: tally.port });
      ha = await HaClient.connect({ port: tally.port });
      await ha.runSatellite({ ping: true });
      await serveOneRequest(ha, 'what time is it', 'It is noon');
      firstBytes = ha.audioBytes;
      expect(firstBytes).toBeGreaterThanOrEqual(16000); // at least the 500 ms pre-roll
      const stop = ha.received.find((f) => f.type === 'audio-stop')!;
      expect(stop.data.timestamp).toBe(Math.floor((firstBytes / 2 / 16000) * 1000)); // ms, not ns
      await serveOneRequest(ha, 'delete what I just said', 'Sorry, I did not understand');
      expect(await tally.exited).toBe(0);
    } finally {
      ha?.close();
      if (tally.child.exitCode === null) tally.child.kill();
    }
    const out = tally.out();
    expect(Number(/ledger: stream 1 wake "alexa" → wyoming:\/\/homeassistant@127\.0\.0\.1: (\d+) bytes/.exec(out)![1])).toBe(firstBytes);
    expect(out).toMatch(/done: 2 stream\(s\) in the ledger/);
    expect(Number(/history: deleted by voice \(last\): (\d+) recording/.exec(out)![1])).toBeGreaterThanOrEqual(1);
    expect(out + tally.err()).not.toMatch(/what time is it|It is noon/); // words are never logged
    const store = HistoryStore.open({ dataDir: join(dir, 'data') });
    try {
      // The first request is gone (whether the command itself is kept is the history store's call).
      expect(store.listRecordings().map((r) => r.streamId)).not.toContain(1);
      // The ledger is history too (issue 14): the deleted request's row went with it, a receipt stays.
      expect(store.listLedger().map((e) => e.streamId)).toEqual([2]);
      expect(store.listLedgerNotes()[0]).toMatchObject({ kind: 'receipt', detail: { path: 'last', verified: true } });
      expect(store.verifyLedger().intact).toBe(true);
    } finally {
      await store.close();
    }
  });
});
