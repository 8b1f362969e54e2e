import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Audio lives beside the database, one sealed file per recording (`audio/<name>.sealed`):
 * the database stays small (a review page never touches audio) and deleting audio is an
 * unlink, not megabytes of zero-filled pages. A file is only ever written sealed; its key
 * is in the recording's row. Every create, rename and unlink is followed by an fsync of
 * the directory so the name change itself is durable.
 */
export const AUDIO_SUFFIX = '.sealed';
const TMP_SUFFIX = '.tmp';

export class AudioFiles {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'audio');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  newName(): string {
    return randomBytes(16).toString('hex') + AUDIO_SUFFIX;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Writes and fsyncs the file under a temporary name, then renames it into place. */
  async write(name: string, sealed: Buffer): Promise<void> {
    const tmp = this.path(name + TMP_SUFFIX);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(sealed);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path(name));
    this.syncDir();
  }

  read(name: string): Buffer {
    return readFileSync(this.path(name));
  }

  /** Unlinks every named file (missing ones are fine: a crash may have got there first). */
  remove(names: Iterable<string>): number {
    let removed = 0;
    for (const name of names) {
      try {
        unlinkSync(this.path(name));
        removed++;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    this.syncDir();
    return removed;
  }

  /** Every file in the audio dir, including half-written temporaries. */
  list(): string[] {
    return readdirSync(this.dir);
  }

  syncDir(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
