import { defineConfig } from 'vitest/config';

// The suite Stryker runs against each mutant: everything that can catch a privacy bug,
// without the browser e2e runs and whole-process runs (they exercise the same code through
// a real Chromium or a child process, which Stryker's in-process coverage cannot see).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/**/cli-e2e.test.ts', 'test/cli/first-hour.test.ts', 'test/history/kill-harness.test.ts', 'test/wake/parity.test.ts', 'test/wake/wake-eval.test.ts', 'test/architecture/**', 'test/hal/speaker-alsa.test.ts', 'test/hal/alsa-microphone.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
