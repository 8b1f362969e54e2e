import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { validateBoard } from '../../hal/board-definition.ts';
import { simBoard } from '../../boards/sim.ts';
import { closeBrowser, documentState, screenState, startScreenHarness, type ScreenHarness } from './screen-harness.ts';

let h: ScreenHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});
afterAll(closeBrowser);

const WAV = 'alexa_what_time_is_it.wav';

describe('every state renders on the real device (sim board, Chromium)', () => {
  it('idle: clock, no bar, no red edge', async () => {
    h = await startScreenHarness();
    await screenState(h.page, 'idle');
    await expect(h.page.getByTestId('clock').isVisible()).resolves.toBe(true);
    expect(await h.page.getByTestId('listening-bar').count()).toBe(0);
    expect(await h.page.getByTestId('mute-edge').count()).toBe(0);
    await documentState(h.page, 'idle');
  });

  it('listening → thinking → speaking with the response card, then idle', async () => {
    h = await startScreenHarness();
    const seen: string[] = [];
    h.device.on('change', (v) => seen.push(v.state));
    await h.page.getByRole('button', { name: 'Action button' }).click();
    await screenState(h.page, 'listening');
    const bar = h.page.getByTestId('listening-bar');
    expect(await bar.getAttribute('data-state')).toBe('listening');
    const box = (await bar.boundingBox())!;
    // Along the bottom edge of the stage, full width.
    expect(box.y + box.height).toBeGreaterThanOrEqual(799);
    expect(box.width).toBeGreaterThan(900);
    void h.sim.microphone.playWav(`ui/sim-wavs/${WAV}`, { tailMs: 800 });
    await screenState(h.page, 'thinking');
    await screenState(h.page, 'speaking');
    await expect(h.page.getByTestId('response').textContent()).resolves.toContain('[SIMULATED]');
    expect(await bar.getAttribute('data-state')).toBe('speaking');
    await screenState(h.page, 'idle');
    expect(seen).toEqual(expect.arrayContaining(['listening', 'thinking', 'speaking', 'idle']));
  });

  it('follow-up: bar and countdown', async () => {
    h = await startScreenHarness({ settings: { followUp: true, followUpWindowMs: 5000 } });
    await h.page.getByRole('button', { name: 'Action button' }).click();
    void h.sim.microphone.playWav(`ui/sim-wavs/${WAV}`, { tailMs: 8000 });
    await screenState(h.page, 'follow-up');
    const timer = h.page.getByRole('timer', { name: 'Follow-up window' });
    await expect(timer.textContent()).resolves.toMatch(/Still listening — [1-5] s/);
  });

  it('muted (relay board): red edge, "Microphone off", red LED and open relay in the simulator', async () => {
    h = await startScreenHarness();
    await h.page.getByRole('button', { name: 'Mute' }).click();
    await screenState(h.page, 'muted');
    await expect(h.page.getByText('Microphone off').isVisible()).resolves.toBe(true);
    await expect(h.page.getByText('The microphone is disconnected').isVisible()).resolves.toBe(true);
    await h.page.waitForSelector('[aria-label="Red LED on"]');
    await h.page.getByTestId('sim-relay').filter({ hasText: 'open (mic unpowered)' }).waitFor();
    expect(h.sim.relay!.contact).toBe('open');
    await documentState(h.page, 'muted');
    // The action button does nothing while muted: no stream, no bar.
    await h.page.getByRole('button', { name: 'Action button' }).click();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.device.ledger.entries()).toHaveLength(0);
    expect(await h.page.getByTestId('listening-bar').count()).toBe(0);
  });

  it('software mute on a board without a relay says so', async () => {
    const { relay: _relay, muteLed: _led, ...roles } = simBoard.roles;
    h = await startScreenHarness({ board: validateBoard({ ...simBoard, name: 'sim-no-relay', roles }), muted: true });
    await screenState(h.page, 'muted');
    await expect(h.page.getByText('Software mute — this board has no mic-kill switch').isVisible()).resolves.toBe(true);
    await documentState(h.page, 'muted-software');
  });

  it('paused, offline, fault and error banners', async () => {
    h = await startScreenHarness();
    h.voice.emitPaused(true);
    await h.page.getByTestId('banner-paused').waitFor();
    await documentState(h.page, 'paused');
    h.voice.emitPaused(false);
    await h.page.getByTestId('banner-paused').waitFor({ state: 'detached' });

    h.voice.loseConnection();
    await h.page.getByText('Offline — the voice service cannot be reached').waitFor();
    await documentState(h.page, 'offline');
    h.voice.connect();
    await h.page.getByText('Offline — the voice service cannot be reached').waitFor({ state: 'detached' });

    await h.page.getByRole('button', { name: 'Action button' }).click();
    await screenState(h.page, 'listening');
    h.voice.emitError('SIM_SERVICE_ERROR');
    await screenState(h.page, 'error');
    await h.page.getByText('Something went wrong (SIM_SERVICE_ERROR)').waitFor();
    await documentState(h.page, 'error');

    h.device.send({ type: 'fault', code: 'RELAY_SENSE_MISMATCH', message: 'relay sense disagrees' });
    await h.page.getByTestId('banner-fault').waitFor();
    await documentState(h.page, 'fault');
  });

  it('timer notification card and running timer countdowns', async () => {
    h = await startScreenHarness();
    h.voice.emitNotification('timer', 'Pasta — 8 minutes');
    await h.page.getByRole('status', { name: 'Timer' }).waitFor();
    await expect(h.page.getByRole('status', { name: 'Timer' }).textContent()).resolves.toContain('Pasta — 8 minutes');
    // Running timers count down on the device clock; a paused one shows its time left.
    const now = h.device.clock.now();
    h.voice.simulate('timers', [
      { id: 't1', name: 'Tea', active: true, endsAt: now + 4 * 60_000 + 5_000, remainingSeconds: 245 },
      { id: 't2', name: null, active: false, endsAt: now, remainingSeconds: 90 },
    ]);
    const tea = h.page.getByRole('timer', { name: 'Tea' });
    await tea.waitFor();
    await expect(tea.textContent()).resolves.toMatch(/Tea4:0[0-6]/);
    await expect(h.page.getByRole('timer', { name: 'Timer' }).textContent()).resolves.toBe('Timer1:30paused');
    await documentState(h.page, 'timer');
    h.voice.simulate('timers', []);
    await h.page.getByRole('timer', { name: 'Tea' }).waitFor({ state: 'detached' });
  });
});
