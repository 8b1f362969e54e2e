import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Tally keeps the owner's history when no --data-dir is given:
 * `$XDG_DATA_HOME/tally`, else `~/.local/share/tally` (the XDG default).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  if (xdg && xdg.trim() !== '') return join(xdg, 'tally');
  return join(env.HOME || homedir(), '.local', 'share', 'tally');
}
