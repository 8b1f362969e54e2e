import { describe, expect, it } from 'vitest';
import { MIC_FILE_MAX_LAG_SAMPLES, paceToListeners, type PacedListener } from '../../src/wake/listener-pace.ts';

/** A listener whose backlog the test sets, and whose flush resolves when the test says. */
function listener(backlogSamples: number, opts: { rejects?: boolean } = {}) {
  const l = {
    backlogSamples,
    flushes: 0,
    caughtUp: () => {},
    flush(): Promise<void> {
      l.flushes++;
      if (opts.rejects) return Promise.reject(new Error('closed'));
      return new Promise<void>((r) => (l.caughtUp = () => { l.backlogSamples = 0; r(); }));
    },
  };
  return l satisfies PacedListener;
}

describe('paceToListeners', () => {
  it('has nothing to wait for while every listener is within the allowed lag', () => {
    const a = listener(MIC_FILE_MAX_LAG_SAMPLES);
    const b = listener(0);
    const pace = paceToListeners([a, b]);
    expect(pace()).toBeUndefined();
    expect(a.flushes + b.flushes).toBe(0);
  });

  it('the allowed lag is below the default 500 ms pre-roll, so a late wake still streams the whole command', () => {
    expect((MIC_FILE_MAX_LAG_SAMPLES / 16_000) * 1000).toBeLessThan(500);
  });

  it('waits for every listener that is behind, and only those', async () => {
    const wake = listener(MIC_FILE_MAX_LAG_SAMPLES + 1);
    const vad = listener(MIC_FILE_MAX_LAG_SAMPLES + 1280);
    const idle = listener(0);
    const pace = paceToListeners([wake, idle, vad]);
    const waiting = pace();
    expect(waiting).toBeInstanceOf(Promise);
    expect([wake.flushes, idle.flushes, vad.flushes]).toEqual([1, 0, 1]);
    let done = false;
    void waiting!.then(() => (done = true));
    wake.caughtUp();
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    vad.caughtUp();
    await waiting;
    expect(pace()).toBeUndefined();
  });

  it('says once that it held the recording back', async () => {
    const slow = listener(MIC_FILE_MAX_LAG_SAMPLES * 2);
    const said: string[] = [];
    const pace = paceToListeners([slow], () => said.push('held'));
    const first = pace();
    slow.caughtUp();
    await first;
    slow.backlogSamples = MIC_FILE_MAX_LAG_SAMPLES * 2;
    const second = pace();
    slow.caughtUp();
    await second;
    expect(said).toEqual(['held']);
  });

  it('a listener that closed (its flush rejects) does not hold the recording forever', async () => {
    const closed = listener(MIC_FILE_MAX_LAG_SAMPLES * 3, { rejects: true });
    await expect(paceToListeners([closed])()).resolves.toBeUndefined();
  });
});
