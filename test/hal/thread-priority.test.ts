import { readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startTsWorker } from '../../hal/base/start-ts-worker.ts';

const linux = process.platform === 'linux';
const thisThread = () => Number(readlinkSync('/proc/thread-self').split('/').pop());

/** Runs lowerThisThreadPriority(steps) on a fresh worker thread; its result and its thread's nice value after. */
async function onWorker(steps: number): Promise<{ nice: number | null; tidNice: number; tid: number }> {
  const w = startTsWorker(new URL('./support/lower-priority-worker.ts', import.meta.url), { workerData: { steps } });
  try {
    return await new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject)));
  } finally {
    await w.terminate();
  }
}

describe('lowerThisThreadPriority: a background thread below the main thread', () => {
  it.runIf(linux)('lowers only the calling thread, by the steps asked', async () => {
    const main = getPriority(process.pid);
    const got = await onWorker(3);
    expect(got.tid).not.toBe(thisThread());
    expect(got.nice).toBe(Math.min(19, main + 3));
    expect(got.tidNice).toBe(got.nice);
    expect(getPriority(process.pid)).toBe(main); // the process (main thread) is untouched
    expect(getPriority(thisThread())).toBe(main);
  });

  it.runIf(linux)('caps at 19', async () => {
    expect((await onWorker(40)).nice).toBe(19);
  });
});
