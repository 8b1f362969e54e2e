import { existsSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { firstRunPath } from '../../src/history/first-run.ts';
import { closeBrowser, screenState, startScreenHarness, type ScreenHarness } from './screen-harness.ts';
import { scene } from './layout-checks.ts';
import { decodeQr } from './qr-decode.ts';
import { seedWeek } from './seed-week.ts';

let h: ScreenHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});
afterAll(closeBrowser);

const KEY = 'pxVzYgCBq3Q4dG3jH9nB0FZr0R1kqN6ZCk8sQk5b7r0=';
const WAV = 'ui/sim-wavs/alexa_what_time_is_it.wav';

describe('first run', () => {
  it('opens once on a new data dir, writes the three choices to the settings store, shows how Home Assistant connects', { timeout: 90_000 }, async () => {
    h = await startScreenHarness({
      firstRun: 'pending',
      connection: { voice: 'esphome', hosts: ['192.168.1.50', 'fe80::1'], wyoming: { port: 10700 }, esphome: { port: 6053, encryptionKey: KEY } },
    });
    const { page } = h;
    const dialog = page.getByRole('dialog', { name: 'Set up Tally' });
    await dialog.waitFor();
    // Private by default: "don't save" is chosen until the owner picks otherwise.
    await expect(page.getByRole('radio', { name: /Don’t save recordings/ }).getAttribute('aria-checked')).resolves.toBe('true');
    await page.getByRole('radio', { name: 'Save recordings and transcripts here' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('radio', { name: '3 months' }).getAttribute('aria-checked')).resolves.toBe('true');
    await page.getByRole('radio', { name: '18 months' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio', { name: 'Hey Jarvis' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('conn-host').first().textContent()).resolves.toBe('192.168.1.50');
    await expect(page.getByTestId('conn-esphome-port').textContent()).resolves.toBe('6053');
    await expect(page.getByTestId('conn-wyoming-port').textContent()).resolves.toBe('10700');
    await expect(page.getByTestId('conn-key').textContent()).resolves.toBe(KEY);
    // The QR code on the screen reads back as the key, as a phone camera would read it.
    expect(await decodeQr(await page.getByTestId('qr').screenshot())).toEqual([KEY]);
    await scene(page, 'first-run-connect-esphome', async () => {});
    expect(existsSync(firstRunPath(h.dataDir))).toBe(false);
    await page.getByRole('button', { name: 'Finish' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(h.store.getSettings()).toMatchObject({ saveRecordings: true, dontSave: false, retention: '18-months', wakeWords: ['hey_jarvis'] });
    expect(h.device.settings.wakeWords).toEqual(['hey_jarvis']);
    expect(existsSync(firstRunPath(h.dataDir))).toBe(true);
    // Shown once per data dir: a new page load does not open it again.
    await page.reload();
    await page.waitForSelector('[data-state]');
    await page.getByTestId('privacy-status').waitFor();
    expect(await page.getByTestId('first-run').count()).toBe(0);
  });

  it('the Wyoming-only connect step shows host and port, and no key slot', async () => {
    h = await startScreenHarness({ firstRun: 'pending', connection: { voice: 'wyoming', hosts: ['10.0.0.7'], wyoming: { port: 10700 }, esphome: null } });
    const { page } = h;
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('connect-wyoming').waitFor();
    await expect(page.getByTestId('connect-wyoming').textContent()).resolves.toContain('Wyoming Protocol');
    await expect(page.getByTestId('conn-host').textContent()).resolves.toBe('10.0.0.7');
    expect(await page.getByTestId('connect-esphome').count()).toBe(0);
    expect(await page.getByTestId('qr').count()).toBe(0);
    await scene(page, 'first-run-connect-wyoming', async () => {});
    // "Later" leaves it undone: nothing written.
    await page.getByRole('button', { name: 'Later' }).click();
    expect(existsSync(firstRunPath(h.dataDir))).toBe(false);
  });
});

describe('Home', () => {
  it('the privacy line tells mic, requests today and saving, and opens the activity page; the last reply stays until a deletion', async () => {
    // Private by default (issue 14): the owner opted in to saving.
    h = await startScreenHarness({ saved: { saveRecordings: true } });
    const { page } = h;
    const line = page.getByTestId('privacy-status');
    await expect.poll(() => line.textContent()).toMatch(/^Mic on · 0 requests today · recordings saved/);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Save voice recordings on this device').uncheck();
    await expect.poll(() => h!.store.getSettings().saveRecordings).toBe(false);
    await nav.getByRole('button', { name: 'Home', exact: true }).click();
    await expect.poll(() => line.textContent()).toMatch(/^Mic on · 0 requests today · nothing saved/);
    await page.getByRole('button', { name: 'Action button' }).click();
    void h.sim.microphone.playWav(WAV, { tailMs: 500 });
    await screenState(page, 'speaking');
    await screenState(page, 'idle');
    await expect.poll(() => line.textContent()).toMatch(/^Mic on · 1 request today · nothing saved/);
    const last = page.getByRole('region', { name: 'Last reply' });
    await expect(last.textContent()).resolves.toContain('[SIMULATED]');
    h.device.send({ type: 'mute-toggle' });
    await expect.poll(() => line.textContent()).toMatch(/^Mic off · 1 request today/);
    await line.click();
    await page.getByTestId('activity-summary').waitFor();
    // Today's strip shades the muted period.
    await expect.poll(() => page.getByTestId('day-row').first().locator('rect.muted-shade').count()).toBeGreaterThan(0);
    h.device.send({ type: 'mute-toggle' });
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'History', exact: true }).click();
    await page.getByRole('button', { name: 'Delete all' }).click();
    await page.getByRole('button', { name: 'Yes, delete all' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Home', exact: true }).click();
    await line.waitFor();
    expect(await page.getByRole('region', { name: 'Last reply' }).count()).toBe(0);
  });
});

describe('activity picture', () => {
  it('matches the ledger: totals, a bar per hour by trigger, false wakes marked; tapping a bar shows that hour\'s rows', { timeout: 60_000 }, async () => {
    h = await startScreenHarness();
    const { ledger, falseWakes } = await seedWeek(h);
    const { page } = h;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Activity', exact: true }).click();
    const seconds = ledger.reduce((s, e) => s + e.audioBytes / 32_000, 0);
    await expect(page.getByTestId('activity-summary').textContent()).resolves.toBe(`Last 7 days: ${ledger.length} requests, ${Math.round(seconds)} s of audio sent, ${falseWakes} probable false wakes.`);
    const rows = page.getByTestId('day-row');
    expect(await rows.count()).toBe(7);
    // Three days ago, 18:00: two wake-word requests, one of them a probable false wake.
    const day = rows.nth(3);
    await expect(day.textContent()).resolves.toMatch(/3 requests, 6\.5 s of audio, 1 probable false wake/);
    // One segment per trigger per hour: 09:00 and 18:00.
    expect(await day.locator('rect.seg-wake').count()).toBe(2);
    expect(await day.locator('rect.false-wake-mark').count()).toBe(1);
    // Tap where the 18:00 bar is drawn: the day opens with that hour's rows.
    const strip = (await day.locator('svg').boundingBox())!;
    await page.mouse.click(strip.x + strip.width * (18.5 / 24), strip.y + strip.height / 2);
    const hourRows = page.getByTestId('ledger-row');
    await expect.poll(() => hourRows.count()).toBe(2);
    await expect(page.getByRole('region', { name: /What left this device 18:00–19:00/ }).textContent()).resolves.toContain('Wake word “alexa”');
    // False wakes per day, in words on the chosen day.
    await expect(page.locator('.day-detail h2').textContent()).resolves.toMatch(/· 3 requests · 1 probable false wake$/);
    // The day's own chart: 24 bars, 18:00 pressed.
    expect(await page.getByTestId('hour-bar').count()).toBe(24);
    await expect(page.getByRole('button', { name: /^18\s?:00–19:00, 2 requests \(wake word 2\)/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    // A Home Assistant request (trigger "service") is drawn in its own colour.
    expect(await rows.nth(4).locator('rect.seg-service').count()).toBe(1);
  });
});

describe('voice history', () => {
  it('groups by day with trigger and duration, flags false wakes with "Not meant for me", and pages past 100', { timeout: 90_000 }, async () => {
    h = await startScreenHarness();
    const { ledger } = await seedWeek(h);
    const { page } = h;
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('button', { name: 'History', exact: true }).click();
    const items = page.getByTestId('recording');
    await expect.poll(() => items.count()).toBe(ledger.length - 1); // the Home Assistant request has no recording
    await page.getByRole('region', { name: 'Today' }).waitFor();
    await page.getByRole('region', { name: 'Yesterday' }).waitFor();
    const flagged = items.filter({ has: page.getByTestId('false-wake-flag') });
    expect(await flagged.count()).toBe(2);
    await expect(flagged.first().textContent()).resolves.toContain('no transcript');
    // The control shows only where the record carries the flag.
    expect(await page.getByRole('button', { name: /^Not meant for me/ }).count()).toBe(2);
    await flagged.first().getByRole('button', { name: /^Not meant for me/ }).click();
    await expect.poll(() => items.count()).toBe(ledger.length - 2);
    expect(h.store.listRecordings({ limit: 100 }).filter((r) => r.falseWake)).toHaveLength(1);
    await expect(items.first().textContent()).resolves.toMatch(/Wake word · 1\.5 s/);

    // Paging: 130 more requests today; 50 at a time, past 100.
    const start = Date.now() - 3_600_000;
    for (let i = 0; i < 130; i++) {
      await h.store.addRecording({ audio: new Int16Array(160), transcript: `request ${i}`, trigger: 'button', preRollMs: 0, deviceId: 'tally', startedAt: start + i * 1000, endedAt: start + i * 1000 + 500 });
    }
    await nav.getByRole('button', { name: 'Home', exact: true }).click();
    await nav.getByRole('button', { name: 'History', exact: true }).click();
    await expect.poll(() => items.count()).toBe(50);
    const older = page.getByRole('button', { name: 'Show older' });
    await older.click();
    await expect.poll(() => items.count()).toBe(100);
    await older.click();
    await expect.poll(() => items.count()).toBe(130 + ledger.length - 2);
    expect(await older.count()).toBe(0);
  });
});
