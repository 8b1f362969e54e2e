import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { access, open, opendir, rename, unlink } from 'node:fs/promises';
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

  /**
   * Unlinks every named file (missing ones are fine: a crash may have got there first),
   * `batch` at a time on libuv's thread pool, fsyncing the directory after each batch and
   * yielding a macrotask between batches: a delete of 100k files never holds the event
   * loop (mic frames, the gate, a mute press) for more than one batch's completions.
   */
  async remove(names: readonly string[], opts: { batch?: number; onBatch?: (done: number) => void } = {}): Promise<number> {
    const size = opts.batch ?? REMOVE_BATCH;
    let removed = 0;
    for (let at = 0; at < names.length; at += size) {
      const done = await Promise.all(names.slice(at, at + size).map((n) => unlinkIfPresent(this.path(n))));
      removed += done.filter(Boolean).length;
      await this.syncDirAsync();
      opts.onBatch?.(Math.min(names.length, at + size));
      await yieldMacrotask();
    }
    return removed;
  }

  /** The named files that still exist, checked in batches off the event loop. */
  async stillPresent(names: readonly string[]): Promise<string[]> {
    const present: string[] = [];
    for (let at = 0; at < names.length; at += REMOVE_BATCH) {
      const slice = names.slice(at, at + REMOVE_BATCH);
      const here = await Promise.all(slice.map((n) => access(this.path(n)).then(() => true, () => false)));
      slice.forEach((n, i) => here[i] && present.push(n));
      await yieldMacrotask();
    }
    return present;
  }

  /** Every file in the audio dir, including half-written temporaries (sync: small dirs only). */
  list(): string[] {
    return readdirSync(this.dir);
  }

  /** The audio dir's entries, streamed `batch` names at a time (never the whole dir in one call). */
  async *entries(batch = REMOVE_BATCH): AsyncGenerator<string[]> {
    const dir = await opendir(this.dir, { bufferSize: batch });
    let names: string[] = [];
    for await (const entry of dir) {
      names.push(entry.name);
      if (names.length >= batch) {
        yield names;
        names = [];
        await yieldMacrotask();
      }
    }
    if (names.length) yield names;
  }

  async syncDirAsync(): Promise<void> {
    const fh = await open(this.dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
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

/** Files unlinked (or checked) per batch: enough to keep the thread pool busy, few enough to stay responsive. */
export const REMOVE_BATCH = 64;

async function unlinkIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Lets timers, I/O callbacks and other work run before the next batch. */
export function yieldMacrotask(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
