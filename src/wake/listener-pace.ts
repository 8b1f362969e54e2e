/**
 * Pacing for a recording played into the simulated mic (`tally start --mic-file`): a
 * real mic does not wait, but a file can, and should when the wake word engine or the
 * VAD runs slower than real time (emulated ARM, a starved CPU). Without it the engine
 * hears "Alexa" seconds late, when the command that followed is already over, and the
 * run measures the machine's speed instead of Tally's pipeline.
 */
export interface PacedListener {
  /** Samples pushed that it has not yet processed. */
  readonly backlogSamples: number;
  /** Resolves when it has processed everything pushed so far. */
  flush(): Promise<void>;
}

/**
 * The lag allowed before the recording waits: 320 ms, under the default 500 ms pre-roll,
 * so a detection that late still opens a stream holding the whole command.
 */
export const MIC_FILE_MAX_LAG_SAMPLES = 4 * 1280;

/**
 * A `pace` for SimMicrophone.play: nothing to wait for (undefined) while every listener
 * keeps up, else a promise that resolves when those behind have caught up. `onFirstWait`
 * runs once, the first time the recording is held back.
 */
export function paceToListeners(listeners: readonly PacedListener[], onFirstWait?: () => void): () => Promise<void> | undefined {
  let waited = false;
  return () => {
    const behind = listeners.filter((l) => l.backlogSamples > MIC_FILE_MAX_LAG_SAMPLES);
    if (behind.length === 0) return undefined;
    if (!waited) {
      waited = true;
      onFirstWait?.();
    }
    // A closed listener rejects its flush: nothing left to wait for.
    return Promise.all(behind.map((l) => l.flush().catch(() => undefined))).then(() => undefined);
  };
}
