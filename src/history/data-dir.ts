import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TallyError } from '../../hal/base/errors.ts';

/**
 * Where Tally keeps the owner's history when no --data-dir is given:
 * `$XDG_DATA_HOME/tally`, else `~/.local/share/tally` (the XDG default).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  if (xdg && xdg.trim() !== '') return join(xdg, 'tally');
  return join(env.HOME || homedir(), '.local', 'share', 'tally');
}

/**
 * Makes sure the data dir can be used before anything opens a file in it, so the owner
 * reads what is wrong with the directory instead of a database or errno message.
 * `create: false` (read commands): a missing directory is an error, never made — a
 * mistyped --data-dir must not silently become a new, empty history.
 */
export function prepareDataDir(dir: string, opts: { create: boolean }): void {
  let st: Stats | undefined;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw notUsable(dir, e);
  }
  if (st && !st.isDirectory()) {
    throw new TallyError('DATA_DIR_NOT_A_DIRECTORY', `data dir ${dir} is a file, not a directory; give --data-dir a directory (or move the file aside)`, { details: { path: dir } });
  }
  if (!st) {
    if (!opts.create) {
      throw new TallyError('DATA_DIR_MISSING', `data dir ${dir} does not exist (nothing was created); check --data-dir — "tally start" makes it on first run`, { details: { path: dir } });
    }
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw notUsable(dir, e);
    }
    return;
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (e) {
    throw notUsable(dir, e);
  }
}

/** Names the directory's owner: the only user (besides root) who can fix its permissions. */
function notUsable(dir: string, cause: unknown): TallyError {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS' && code !== 'ENOTDIR') {
    return new TallyError('DATA_DIR_UNUSABLE', `data dir ${dir} cannot be used: ${(cause as Error).message}`, { details: { path: dir }, cause });
  }
  if (code === 'ENOTDIR') {
    return new TallyError('DATA_DIR_NOT_A_DIRECTORY', `a parent of data dir ${dir} is a file, not a directory`, { details: { path: dir }, cause });
  }
  const existing = nearestExisting(dir);
  const st = statSync(existing);
  const owner = ownerName(st.uid);
  const me = ownerName(process.getuid?.() ?? -1);
  const where = existing === dir ? `data dir ${dir}` : `${existing} (where data dir ${dir} would be made)`;
  const ro = code === 'EROFS' ? ' is on a read-only file system' : ` is not writable by ${me}`;
  return new TallyError(
    'DATA_DIR_NOT_WRITABLE',
    `${where}${ro}; it belongs to ${owner} (mode ${(st.mode & 0o777).toString(8)}): run Tally as ${owner}, or make it writable (chown ${me} ${existing}), or pick another --data-dir`,
    { details: { path: dir, owner: st.uid, mode: st.mode & 0o777 }, cause },
  );
}

function nearestExisting(dir: string): string {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

function ownerName(uid: number): string {
  if (uid < 0) return 'another user';
  if (uid === (process.getuid?.() ?? -2)) return `${userInfo().username} (uid ${uid})`;
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === String(uid));
    return line ? `${line.split(':')[0]} (uid ${uid})` : `uid ${uid}`;
  } catch {
    return `uid ${uid}`;
  }
}
