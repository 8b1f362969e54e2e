// Wall-clock limits for tests that run whole processes or long workloads. Under ARM
// emulation (scripts/arm/check.sh sets TALLY_TIMEOUT_SCALE=10) everything runs 5–20× slower
// than on x64, so the same limits would fail tests that are not wrong, only emulated.
// Only limits scale: no assertion here is about speed.
export function scaledTimeout(ms: number): number {
  const scale = Number(process.env.TALLY_TIMEOUT_SCALE ?? '1');
  return Number.isFinite(scale) && scale > 1 ? Math.round(ms * scale) : ms;
}
