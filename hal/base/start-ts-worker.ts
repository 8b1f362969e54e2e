import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Starts a worker thread whose entry is a `.ts` file. On Node 20, `execArgv: ['--import',
 * 'tsx']` does not reach the worker's entry module (ERR_UNKNOWN_FILE_EXTENSION), so a
 * tiny eval bootstrap registers tsx's loader inside the worker first, then imports it.
 */
const require = createRequire(import.meta.url);

export function startTsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
