import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/io.ts';

export interface MemoryIOOptions {
  /** The command's environment; empty unless given. */
  env?: NodeJS.ProcessEnv;
  /** What `stdin.isTTY` says (doctor asks whether it may prompt). */
  stdinIsTTY?: boolean;
  /** Collect stderr lines into `lines` too, in order (for commands whose report mixes both). */
  errorsToLines?: boolean;
}

export type MemoryIO = CliIO & { lines: string[]; errors: string[] };

/** A CliIO that records what a command prints, for running commands in-process in tests. */
export function memoryIO(opts: MemoryIOOptions = {}): MemoryIO {
  const lines: string[] = [];
  const errors: string[] = [];
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.stdinIsTTY ?? false });
  return {
    lines,
    errors,
    out: (l) => lines.push(l),
    err: (l) => (opts.errorsToLines ? lines : errors).push(l),
    stdin,
    stdoutIsTTY: false,
    env: opts.env ?? {},
  };
}
