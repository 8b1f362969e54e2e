import cliProgress from 'cli-progress';

/** Where progress goes: stderr, so stdout stays the command's result (JSON lines, tables). */
export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

export interface Progress {
  /** One more unit done; `item` names it (a file, a suite) for the plain-line form. */
  tick(item?: string): void;
  done(): void;
}

export function stderrSink(): ProgressSink {
  return { write: (t) => process.stderr.write(t), isTTY: Boolean(process.stdout.isTTY && process.stderr.isTTY) };
}

/**
 * Progress of a counted task. On a terminal a cli-progress bar (done/total, ETA); in a log
 * or a pipe plain lines, at most about every tenth, so a log stays readable.
 */
export function startProgress(label: string, total: number, sink: ProgressSink = stderrSink()): Progress {
  if (sink.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} | ETA {eta_formatted} | {item}`, hideCursor: true, clearOnComplete: false, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { item: '' });
    return { tick: (item = '') => bar.increment(1, { item }), done: () => bar.stop() };
  }
  let n = 0;
  const started = Date.now();
  const every = Math.max(1, Math.ceil(total / 10));
  return {
    tick(item) {
      n++;
      if (n % every !== 0 && n !== total) return;
      const elapsed = (Date.now() - started) / 1000;
      const eta = n < total ? `, about ${Math.ceil((elapsed / n) * (total - n))} s left` : '';
      sink.write(`${label}: ${n}/${total}${item ? ` (${item})` : ''}${eta}\n`);
    },
    done() {
      sink.write(`${label}: done, ${n}/${total} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}
