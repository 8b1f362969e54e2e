import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { TallyError } from './errors.ts';

/**
 * Writes a small private file (mode 0600, its folder 0700) so that a power cut leaves the
 * old content or the new, never a mix: temp file → fsync → rename → fsync the folder.
 * Any failure is `code` (the caller's, e.g. ESPHOME_KEY_UNWRITABLE), naming the file.
 */
export function writePrivateFileAtomic(file: string, text: string, code: string): void {
  const dir = dirname(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch (e) {
    throw new TallyError(code, `cannot write ${file}`, { cause: e });
  }
}
