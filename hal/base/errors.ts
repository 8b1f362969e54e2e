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
  const fsError = fileSystemError(e);
  if (fsError) return formatError(fsError);
  const err = e as { message?: string };
  return `error INTERNAL: ${err?.message ?? String(e)}`;
}

/** What a person reads for the file-system errno codes a command can run into. */
const FS_ERRORS: Record<string, [code: string, words: string]> = {
  ENOENT: ['FILE_NOT_FOUND', 'no such file or directory (or its folder does not exist)'],
  EEXIST: ['FILE_EXISTS', 'already exists (a file where a directory is wanted?)'],
  ENOTDIR: ['FILE_NOT_A_DIRECTORY', 'a part of the path is a file, not a directory'],
  EISDIR: ['FILE_IS_A_DIRECTORY', 'is a directory, a file is wanted'],
  EACCES: ['FILE_PERMISSION_DENIED', 'permission denied for this user'],
  EPERM: ['FILE_PERMISSION_DENIED', 'operation not permitted for this user'],
  EROFS: ['FILE_READ_ONLY', 'is on a read-only file system'],
  ENOSPC: ['DISK_FULL', 'no space left on the device'],
};

/** A Node file-system error (errno code + path) as a coded TallyError; anything else: null. */
export function fileSystemError(e: unknown): TallyError | null {
  const err = e as NodeJS.ErrnoException | null;
  const known = err && typeof err.code === 'string' ? FS_ERRORS[err.code] : undefined;
  if (!known) return null;
  const path = err!.path ?? (err as { dest?: string }).dest;
  return new TallyError(known[0], `${path ? `${path}: ` : ''}${known[1]} (${err!.syscall ?? 'fs'} ${err!.code})`, { details: { errno: err!.code, ...(path ? { path } : {}) }, cause: e });
}
