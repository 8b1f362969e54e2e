import type { TonePlayer } from '../tone-player.ts';
import { FarEndTimeline } from './far-end-timeline.ts';
import { EchoCancelStage } from './echo-cancel-stage.ts';
import { loadEchoCanceller } from './load-echo-canceller.ts';

export interface EchoSetup {
  canceller: 'speex' | 'none';
  delayMs: number;
  tailMs?: number | undefined;
}

export type EchoStageResult =
  | { ok: true; stage: EchoCancelStage; close(): void }
  | { ok: false; code: string; reason: string };

/**
 * Builds the echo canceller for a board: loads Speex lazily, feeds the tone player's
 * far-end reference into a time line, and returns the per-frame stage. Without a tone
 * player there is nothing to cancel; a board that says `none`, or a missing library,
 * gives a coded reason and the device keeps the self-wake guard.
 */
export async function createEchoStage(o: { setup: EchoSetup | undefined; tones: TonePlayer | undefined; now: () => number; misalignMs?: number }): Promise<EchoStageResult> {
  if (!o.tones) return { ok: false, code: 'AEC_DISABLED', reason: 'the board has no speaker' };
  if (!o.setup || o.setup.canceller === 'none') return { ok: false, code: 'AEC_DISABLED', reason: 'the board definition turns echo cancellation off' };
  const loaded = await loadEchoCanceller(o.setup.tailMs ? { tailMs: o.setup.tailMs } : {});
  if (!loaded.ok) return loaded;
  const timeline = new FarEndTimeline();
  const offs = [o.tones.on('far-end', (c) => timeline.write(c)), o.tones.on('far-end-cut', (at) => timeline.cut(at))];
  const stage = new EchoCancelStage({ canceller: loaded.canceller, timeline, now: o.now, delayMs: o.setup.delayMs, ...(o.misalignMs ? { misalignMs: o.misalignMs } : {}) });
  return {
    ok: true,
    stage,
    close() {
      for (const off of offs) off();
      loaded.canceller.close();
    },
  };
}
