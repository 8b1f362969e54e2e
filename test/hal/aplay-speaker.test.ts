import { beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tonePlayerContract } from '../contracts/tone-player.contract.ts';
import { SpeakerTonePlayer } from '../../hal/drivers/audio/speaker-tone-player.ts';
import { aplayArgs, aplaySpeaker } from '../../hal/drivers/audio/aplay-speaker.ts';
import { pcmToBuffer } from '../../hal/drivers/audio/pcm.ts';
import { createRoleDevice } from '../../hal/drivers/index.ts';
import { probeBoard } from '../../hal/drivers/probe.ts';
import { writeAlsaTestConfig, chirp } from './alsa-test-config.ts';
import { HalError } from '../../hal/errors.ts';
import { TONE_NAMES } from '../../hal/tone-player.ts';

/** ALSA's file plugin pads the last period with silence: the PCM, then only zeros. */
function playedExactly(written: Buffer, expected: Buffer): boolean {
  return written.length >= expected.length && written.subarray(0, expected.length).equals(expected) && written.subarray(expected.length).every((b) => b === 0);
}

/**
 * The aplay back end (alsa-utils in a child process) that plays tones where the `speaker`
 * package does not build (linux/arm64). Real aplay, into ALSA's `file` plugin: what it
 * wrote is compared byte for byte with the PCM handed to the player.
 */
let outFile = '';
beforeAll(async () => {
  const { dir, path } = await writeAlsaTestConfig('/dev/null');
  outFile = join(dir, 'played.raw');
  const conf = await readFile(path, 'utf8');
  await writeFile(path, `${conf}pcm.tallyout {\n  type file\n  slave.pcm { type null }\n  file "${outFile}"\n  format "raw"\n}\n`);
  process.env.ALSA_CONFIG_PATH = path;
});

describe('aplay speaker (real aplay, ALSA file plugin)', () => {
  it('plays exactly the PCM it was given, with the volume applied', async () => {
    const player = new SpeakerTonePlayer(aplaySpeaker(), { device: 'tallyout', volume: 0.5 });
    const samples = chirp(8000);
    expect(await player.play({ sampleRate: 16000, channels: 1, samples })).toEqual({ completed: true });
    await player.close();
    const written = await readFile(outFile);
    expect(playedExactly(written, pcmToBuffer(samples, 0.5))).toBe(true);
  });

  it('stop() cuts: the sound reports not completed and less than all of it reached the device', async () => {
    const player = new SpeakerTonePlayer(aplaySpeaker(), { device: 'tallyout' });
    const samples = chirp(16000 * 20);
    const long = player.play({ sampleRate: 16000, channels: 1, samples });
    player.stop();
    expect((await long).completed).toBe(false);
    await player.close();
    expect((await readFile(outFile)).length).toBeLessThan(samples.length * 2);
  });

  it('a device aplay cannot open fails the sound with DEVICE_WRITE_FAILED naming aplay', async () => {
    const player = new SpeakerTonePlayer(aplaySpeaker(), { device: 'no-such-alsa-device' });
    player.on('error', () => {});
    const err = await player.play(TONE_NAMES[0]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HalError);
    expect((err as HalError).code).toBe('DEVICE_WRITE_FAILED');
    expect(String(((err as HalError).cause as Error).message)).toMatch(/aplay exited with 1/);
    await player.close();
  });

  it('a missing aplay binary fails the sound, it does not hang', async () => {
    const { spawn } = await import('node:child_process');
    const player = new SpeakerTonePlayer(aplaySpeaker((args) => spawn('/nonexistent/aplay', args, { stdio: ['pipe', 'ignore', 'pipe'] })));
    player.on('error', () => {});
    const err = await player.play(TONE_NAMES[0]).catch((e: unknown) => e);
    expect((err as HalError).code).toBe('DEVICE_WRITE_FAILED');
    expect(String(((err as HalError).cause as Error).message)).toMatch(/aplay could not start/);
    await player.close();
  });

  it('asks aplay for raw signed 16-bit PCM at the sound’s own rate, channels and device', () => {
    expect(aplayArgs({ sampleRate: 22050, channels: 2, bitDepth: 16, signed: true, device: 'plughw:1,0' })).toEqual(
      ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', '22050', '-c', '2', '--buffer-time=100000', '-D', 'plughw:1,0'],
    );
  });
});

describe('tones driver "aplay" and the speaker fallback', () => {
  const board = { name: 't', roles: { tones: { driver: 'aplay' as const, device: 'tallyout' } } } as never;

  it('a board naming driver "aplay" gets a tone player that plays through aplay', async () => {
    const player = (await createRoleDevice('tones', { driver: 'aplay', device: 'tallyout' }, board, { clock: undefined as never })) as SpeakerTonePlayer;
    const samples = chirp(1600);
    expect(await player.play({ sampleRate: 16000, channels: 1, samples })).toEqual({ completed: true });
    await player.close();
    expect(playedExactly(await readFile(outFile), pcmToBuffer(samples, player.volume))).toBe(true);
  });

  it('a speaker board without the speaker package plays through aplay and warns once', async () => {
    const warnings: string[] = [];
    const loadPackage = async (pkg: string, device: string) => {
      throw new HalError('DRIVER_MISSING', device, `optional package "${pkg}" is not installed`);
    };
    const player = (await createRoleDevice('tones', { driver: 'speaker', device: 'tallyout' }, board, { clock: undefined as never, loadPackage, warn: (m) => warnings.push(m) })) as SpeakerTonePlayer;
    const samples = chirp(3200);
    expect(await player.play({ sampleRate: 16000, channels: 1, samples })).toEqual({ completed: true });
    await player.close();
    expect(playedExactly(await readFile(outFile), pcmToBuffer(samples, player.volume))).toBe(true);
    expect(warnings).toEqual([expect.stringMatching(/roles\.tones: the speaker package is not installed .*playing through aplay instead/)]);
  });

  it('any other speaker failure is not papered over by the fallback', async () => {
    const loadPackage = async () => {
      throw new Error('native module crashed');
    };
    await expect(createRoleDevice('tones', { driver: 'speaker' }, board, { clock: undefined as never, loadPackage })).rejects.toThrow('native module crashed');
  });

  it('doctor: a speaker board without the speaker package works through aplay, and says so', async () => {
    const env = {
      hasPackage: () => false,
      run: async (cmd: string) => ({ code: cmd === 'aplay' ? 0 : 127, stderr: '' }),
    };
    const [tones] = await probeBoard({ name: 't', roles: { tones: { driver: 'speaker' } } } as never, env as never);
    expect(tones).toMatchObject({ role: 'tones', status: 'works' });
    expect(tones!.detail).toMatch(/through aplay \(package speaker is not installed\)/);
  });

  it('doctor: without the package and without a working aplay, the tones role is missing', async () => {
    const env = { hasPackage: () => false, run: async () => ({ code: 127, stderr: '' }) };
    const [tones] = await probeBoard({ name: 't', roles: { tones: { driver: 'speaker' } } } as never, env as never);
    expect(tones).toMatchObject({ status: 'missing', detail: 'aplay is not installed' });
  });
});

tonePlayerContract('aplay (real alsa-utils, ALSA null device)', async () => {
  const player = new SpeakerTonePlayer(aplaySpeaker());
  return { player, advance: () => new Promise((r) => setTimeout(r, 5)), cleanup: () => player.close() };
});
