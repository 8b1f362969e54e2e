/**
 * Import rules of the layout (docs/architecture.md). `npm test` runs them; a rule broken on
 * purpose fails the suite (test/architecture/import-rules.test.ts).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make the layers meaningless: every arrow points one way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'hal-base-is-the-kernel',
      severity: 'error',
      comment: 'hal/base (clock, errors, emitter, PCM/WAV, worker start-up) imports nothing of ours.',
      from: { path: '^hal/base/' },
      to: { path: '^(hal|boards|src|ui|test|bench|scripts)/', pathNot: '^hal/base/' },
    },
    {
      name: 'hal-not-to-src',
      severity: 'error',
      comment: 'The HAL is below the device: drivers never reach into src/, boards or the screen.',
      from: { path: '^hal/' },
      to: { path: '^(src|boards|ui|test|bench|scripts)/' },
    },
    {
      name: 'boards-only-hal',
      severity: 'error',
      comment: 'Boards are typed data with validation: they import the HAL only.',
      from: { path: '^boards/' },
      to: { path: '^(src|ui|test|bench|scripts)/' },
    },
    {
      name: 'core-owns-its-ports',
      severity: 'error',
      comment: 'src/core defines the ports (voice service, wake detector, indicator sink); adapters implement them.',
      from: { path: '^src/core/' },
      to: { path: '^(src/(?!core/)|ui/|test/|bench/|scripts/)' },
    },
    {
      name: 'adapters-not-to-cli',
      severity: 'error',
      comment: 'Only the CLI composes the device; nothing below it imports it.',
      from: { path: '^src/(wake|voice|history|display)/' },
      to: { path: '^(src/cli/|ui/|test/|bench/|scripts/)' },
    },
    {
      name: 'adapters-not-sideways',
      severity: 'error',
      comment: 'Wake word, voice services, history and display do not import one another (except the display reading history types).',
      from: { path: '^src/(wake|voice|history)/' },
      to: { path: '^src/(wake|voice|history|display)/', pathNot: '^src/$1/' },
    },
    {
      name: 'voice-factory-uses-entry-points',
      severity: 'error',
      comment:
        "A voice-service factory composes services through their entry points: its own folder's files, a protocol's create-*.ts, the core's ports and settings schema, and hal/base. Never a protocol's or another folder's internals.",
      from: { path: '^src/voice/create-[^/]+\\.ts$' },
      to: {
        path: '^(src|hal|boards)/',
        pathNot: '^(src/voice/[^/]+\\.ts|src/voice/[^/]+/create-[^/]+\\.ts|src/core/ports/.*|src/core/settings/schema\\.ts|hal/base/.*)$',
      },
    },
    {
      name: 'ui-only-display-protocol',
      severity: 'error',
      comment: 'The screen is a separate program: it shares only the display protocol with the device.',
      from: { path: '^ui/' },
      to: { path: '^(src|hal|boards|test|bench|scripts)/', pathNot: '^src/display/protocol\\.ts$' },
    },
    {
      name: 'only-gate-streams',
      severity: 'error',
      comment: 'Only the privacy gate (and the voice services that implement it) may reach a voice-service stream.',
      from: { pathNot: '^(src/core/gate/|src/core/ports/|src/voice/|test/|bench/)' },
      to: { path: '^src/core/ports/voice-stream\\.ts$' },
    },
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment: 'Test clients live in test/support; the product never imports them.',
      from: { path: '^(src|hal|boards|ui)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|ui/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
