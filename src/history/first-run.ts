import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TallyError } from '../../hal/base/errors.ts';

/** `<dataDir>/first-run.json`: written once the owner finished the screen's first-run flow. */
export function firstRunPath(dataDir: string): string {
  return join(dataDir, 'first-run.json');
}

/**
 * Whether the first-run flow was completed on this data dir, and when. Holds no choice
 * itself (those are settings, in the settings store); a corrupt file throws
 * FIRST_RUN_CORRUPT so the caller decides (the screen shows the flow again).
 */
export function readFirstRun(dataDir: string): { completedAt: number } | null {
  const file = firstRunPath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TallyError('FIRST_RUN_UNREADABLE', `cannot read ${file}`, { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TallyError('FIRST_RUN_CORRUPT', `${file} is not JSON`, { cause });
  }
  const at = (value as { completedAt?: unknown } | null)?.completedAt;
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new TallyError('FIRST_RUN_CORRUPT', `${file} has no completedAt`);
  return { completedAt: at };
}

/** Atomic (temp file, fsync, rename): a power cut leaves the old state or the new, never half. */
export function writeFirstRun(dataDir: string, completedAt: number): void {
  const file = firstRunPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ completedAt }) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (cause) {
    throw new TallyError('FIRST_RUN_UNWRITABLE', `cannot write ${file}`, { cause });
  }
}
