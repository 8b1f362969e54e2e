// Mutation testing of the privacy-critical code (`npm run test:mutation`; docs/mutation.md).
// Incremental: results are kept in mutation/baseline.json (committed), so a run re-tests
// only mutants in code that changed since; `npm run test:mutation -- --force` re-tests all.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'src/core/gate/privacy-gate.ts',
    'src/core/gate/pre-roll-buffer.ts',
    'src/core/mute/mute-controller.ts',
    'src/core/mute/mute-store.ts',
    'src/core/attention/transition.ts',
    'src/core/attention/transition-draft.ts',
    'src/core/attention/view.ts',
    'src/core/attention/machine.ts',
    'src/core/feedback/feedback-hub.ts',
    'src/core/feedback/ring-indicator.ts',
    'src/core/feedback/screen-indicator.ts',
    'src/core/settings/schema.ts',
    'src/voice/wyoming/pairing-policy.ts',
    'src/voice/wyoming/pairing-store.ts',
    'src/voice/esphome/voice-owner.ts',
    'src/voice/esphome/key-store.ts',
    'src/display/security.ts',
    'src/history/physical-deletion.ts',
  ],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'mutation/baseline.json',
  concurrency: 2,
  timeoutMS: 20_000,
  // The initial run of the whole mutation suite with per-test coverage takes minutes (the
  // 1000-sequence property test alone 2–5 min): Stryker's default 5 min failed it on a loaded
  // machine, and with it CI's re-test of a stale file.
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['ui/dist', 'dist', 'reports', '.wake-corpus', 'docs/screenshots'],
};
