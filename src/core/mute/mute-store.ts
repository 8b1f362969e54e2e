import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TallyError } from '../../../hal/base/errors.ts';

/**
 * Where the mute state survives a restart. Written atomically (temp file, fsync,
 * rename) so a power cut leaves either the old or the new state, never a torn file.
 * A file that cannot be read or parsed is reported AND treated as muted: fail closed.
 */
export interface MuteStore {
  load(): { muted: boolean; problem?: TallyError };
  save(muted: boolean): void;
}

export class MemoryMuteStore implements MuteStore {
  constructor(private muted = false) {}
  load() {
    return { muted: this.muted };
  }
  save(muted: boolean) {
    this.muted = muted;
  }
}

export class FileMuteStore implements MuteStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'mute.json');
  }

  load(): { muted: boolean; problem?: TallyError } {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { muted: false };
      return { muted: true, problem: new TallyError('MUTE_STATE_UNREADABLE', `cannot read ${this.path}; staying muted`, { cause: e }) };
    }
    try {
      const data = JSON.parse(text) as { muted?: unknown };
      if (typeof data.muted !== 'boolean') throw new Error('no boolean "muted"');
      return { muted: data.muted };
    } catch (e) {
      return { muted: true, problem: new TallyError('MUTE_STATE_CORRUPT', `${this.path} is corrupt; staying muted`, { cause: e }) };
    }
  }

  save(muted: boolean): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify({ muted }) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
