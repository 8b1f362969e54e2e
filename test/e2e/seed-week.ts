import type { LedgerEntry } from '../../src/core/ledger/types.ts';
import type { ScreenHarness } from './screen-harness.ts';

const HOUR = 3_600_000;

/**
 * A plausible week for the activity picture and the voice history: requests by wake word
 * and button most days, a follow-up, one from Home Assistant, and two probable false wakes.
 * Returns what it planted so tests can check the picture against it.
 */
export async function seedWeek(h: ScreenHarness, now = Date.now()): Promise<{ ledger: LedgerEntry[]; falseWakes: number }> {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  const plan: [day: number, hour: number, trigger: string, seconds: number][] = [
    [6, 8, 'wake', 2.5], [6, 19, 'button', 3], [5, 7, 'wake', 2], [5, 7, 'follow-up', 1.5], [5, 21, 'wake', 4],
    [4, 12, 'service', 2], [3, 9, 'wake', 3.5], [3, 18, 'wake', 2], [3, 18, 'wake', 1], [2, 22, 'button', 5],
    [1, 6, 'wake', 2], [1, 13, 'wake', 3], [0, 0, 'wake', 1.5],
  ];
  const ledger: LedgerEntry[] = plan.map(([day, hour, trigger, seconds], i) => {
    const startedAt = midnight.getTime() - day * 86_400_000 + hour * HOUR + 60_000 * (i % 7);
    return {
      id: `seed-${i}`, streamId: 1000 + i, startedAt, endedAt: startedAt + seconds * 1000, trigger: trigger as LedgerEntry['trigger'],
      wakeWord: trigger === 'wake' ? 'alexa' : null, preRollMs: trigger === 'wake' ? 500 : 0, audioBytes: seconds * 32_000,
      destination: 'sim://simulated-voice-service', endReason: 'processed', deviceId: 'tally',
    };
  });
  for (const e of ledger) {
    h.store.ledger.opened(e);
    h.store.ledger.closed(e);
  }
  const words = ['what time is it', 'turn on the kitchen lights', 'set a timer for ten minutes', 'play some jazz'];
  let falseWakes = 0;
  for (const [i, e] of ledger.entries()) {
    // The history store keeps device-started requests; a Home Assistant one shows in the ledger only.
    if (e.trigger === ('service' as LedgerEntry['trigger'])) continue;
    // The 4th and 9th were nobody talking to the device: no transcript, flagged.
    const falseWake = i === 3 || i === 8;
    if (falseWake) falseWakes++;
    await h.store.addRecording({
      audio: new Int16Array(Math.round((e.audioBytes / 2) | 0)).fill(300), transcript: falseWake ? null : words[i % words.length]!, responseText: 'ok',
      trigger: e.trigger, preRollMs: e.preRollMs, deviceId: 'tally', startedAt: e.startedAt, endedAt: e.endedAt!, falseWake, streamId: e.streamId, ledgerId: e.id,
    });
  }
  return { ledger, falseWakes };
}
