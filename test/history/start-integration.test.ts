import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/history/history-store.ts';
import { defaultSettings, settingsSchema } from '../../src/core/settings/schema.ts';
import { tempDir } from './helpers.ts';
import { scaledTimeout } from '../support/timeout-scale.ts';

const run = promisify(execFile);
const WAKE_CLIP = new URL('../wake/fixtures/wakeword/audio/tts_alexa_command.wav', import.meta.url).pathname;

/**
 * `tally start` (what `npm start` runs) on the sim board, fed "Alexa, <command>" from a
 * WAV: the real wake word opens a stream to the simulated service, and afterwards the
 * data dir holds the gate's ledger entry and the recording, as the history CLI shows.
 */
describe('tally start persists the ledger and recordings to the history store', () => {
  const { dir, cleanup } = tempDir('tally-start-history-');
  afterAll(cleanup);
  const dataDir = join(dir, 'data');

  it('ledger entry and recording land in --data-dir, and tally history lists them', { timeout: scaledTimeout(120_000) }, async () => {
    // Private by default: the owner opts in to keeping recordings first.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    await run(process.execPath, ['bin/tally.js', 'settings', 'set', 'saveRecordings', 'true', '--data-dir', dataDir]);
    // Under emulation (TALLY_TIMEOUT_SCALE) the paced file reaches the detector and the VAD
    // slower than real time, so the stream's wall-clock limits — its cap (maxStreamMs, 10 s by
    // default) and the no-speech timeout (5 s) — would end it before the command is heard
    // (armhf's wasm engine under qemu: `max-duration`). They scale like every other wall-clock
    // limit here, up to each setting's maximum.
    for (const key of ['maxStreamMs', 'noSpeechTimeoutMs'] as const) {
      const defaultMs = defaultSettings()[key];
      const ms = Math.min(settingsSchema.shape[key].unwrap().maxValue ?? defaultMs, scaledTimeout(defaultMs));
      if (ms !== defaultMs) await run(process.execPath, ['bin/tally.js', 'settings', 'set', key, String(ms), '--data-dir', dataDir]);
    }
    await run(process.execPath, ['bin/tally.js', 'start', '--board', 'sim', '--mic-file', WAKE_CLIP, '--exit-when-idle', '--no-display', '--no-electron', '--data-dir', dataDir], {
      timeout: scaledTimeout(110_000),
    });
    const store = HistoryStore.open({ dataDir });
    try {
      const [entry] = store.listLedger();
      expect(entry).toMatchObject({ trigger: 'wake', wakeWord: 'alexa', endReason: 'processed', destination: 'sim://simulated-voice-service' });
      const [rec] = store.listRecordings();
      expect(rec).toMatchObject({ ledgerId: entry!.id, trigger: 'wake', streamId: entry!.streamId });
      expect(store.getRecordingAudio(rec!.id).length * 2).toBe(entry!.audioBytes);
      expect(store.getRecording(rec!.id).responseText).toMatch(/^\[SIMULATED\]/);
    } finally {
      await store.close();
    }
    const { stdout } = await run(process.execPath, ['bin/tally.js', 'history', 'list', '--json', '--data-dir', dataDir]);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ id: 1, trigger: 'wake' });
    expect(lines[0]).not.toHaveProperty('transcript');
  });
});
