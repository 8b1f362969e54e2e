/**
 * Every error Tally raises on purpose carries a machine-readable `code`, and where the
 * caller picked from a fixed set (boards, drivers, options), the valid choices.
 */
export class TallyError extends Error {
  readonly code: string;
  readonly validOptions?: readonly string[];
  readonly details?: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    opts: { validOptions?: readonly string[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'TallyError';
    this.code = code;
    if (opts.validOptions) this.validOptions = opts.validOptions;
    if (opts.details) this.details = opts.details;
  }
}

export function isTallyError(e: unknown): e is TallyError {
  return e instanceof TallyError;
}

/** One line for a terminal: `error CODE: message (valid: a, b)`. Never includes audio or transcripts. */
export function formatError(e: unknown): string {
  if (e instanceof TallyError) {
    const valid = e.validOptions?.length ? ` (valid: ${e.validOptions.join(', ')})` : '';
    return `error ${e.code}: ${e.message}${valid}`;
  }
  const err = e as { message?: string };
  return `error INTERNAL: ${err?.message ?? String(e)}`;
}
