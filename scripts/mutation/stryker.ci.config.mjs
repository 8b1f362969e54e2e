// Stryker options for scripts/mutation/ci.ts: the project's config with the files to
// re-test, the baseline copy to start from and the report path passed in by the script.
import base from '../../stryker.config.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`MUTATION_CI_ENV_MISSING: ${name} is not set (run scripts/mutation/ci.ts, not this file)`);
  return v;
};

export default {
  ...base,
  mutate: env('MUTATION_MUTATE').split(','),
  incrementalFile: env('MUTATION_INCREMENTAL_FILE'),
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: env('MUTATION_JSON_FILE') },
};
