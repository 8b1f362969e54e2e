import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveWakeEngine } from '../../src/wake/wake-model.ts';
import { scaledTimeout } from '../support/timeout-scale.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('wake engine choice', () => {
  it('auto picks native where its binding loads, else the wasm fallback', () => {
    expect(resolveWakeEngine('auto', () => true)).toBe('native');
    expect(resolveWakeEngine('auto', () => false)).toBe('wasm');
    expect(resolveWakeEngine('wasm', () => true)).toBe('wasm');
  });

  it('an unknown engine is refused naming the valid ones', () => {
    expect(() => resolveWakeEngine('tpu')).toThrow(expect.objectContaining({ code: 'WAKE_ENGINE_UNKNOWN', validOptions: ['auto', 'native', 'wasm'] }));
  });

  it('the wasm engine runs the whole device: a wake word in a WAV opens one stream', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/tally.js'), 'start', '--board', 'sim', '--no-electron', '--no-display', '--data-dir', mkdtempSync(join(tmpdir(), 'tally-wasm-')), '--mic-file', join(ROOT, 'test/wake/fixtures/wakeword/audio/tts_alexa_command.wav'), '--exit-when-idle'], {
      encoding: 'utf8',
      env: { ...process.env, TALLY_WAKE_ENGINE: 'wasm' },
      timeout: scaledTimeout(120_000),
    });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.stdout).toContain('wake: openwakeword on the wasm engine');
    expect(r.stdout).toMatch(/ledger: stream 1 wake "alexa"/);
    expect(r.stdout).toMatch(/done: 1 stream\(s\)/);
  }, scaledTimeout(130_000));
});
