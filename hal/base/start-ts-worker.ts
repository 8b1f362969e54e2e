import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { RUNNING_BUILT } from './package-root.ts';

/**
 * Starts a worker thread whose entry is a `.ts` file. On Node 20, `execArgv: ['--import',
 * 'tsx']` does not reach the worker's entry module (ERR_UNKNOWN_FILE_EXTENSION), so a
 * tiny eval bootstrap registers tsx's loader inside the worker first, then imports it.
 * In the production build (dist/, plain node, no tsx installed) the entry's compiled
 * `.js` sibling is started directly.
 */
const require = createRequire(import.meta.url);

export function startTsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (RUNNING_BUILT) return new Worker(new URL(entry.href.replace(/\.ts$/, '.js')), options);
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
