/** What a command may print to and read from; tests pass in-memory streams. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function processIO(): CliIO {
  // `tally ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  process.stdout.once('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    stdin: process.stdin,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  };
}

export type CommandModule = { run(argv: string[], io: CliIO): Promise<number> };
