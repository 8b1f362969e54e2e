import { afterEach } from 'vitest';

/**
 * One harness per test, cleaned up after it whatever happened: every contract suite
 * calls this instead of repeating its own let/afterEach.
 */
export function useHarness<H extends { cleanup?(): Promise<void> }>(make: () => Promise<H>): () => Promise<H> {
  let current: H | undefined;
  afterEach(async () => {
    await current?.cleanup?.();
    current = undefined;
  });
  return async () => (current = await make());
}
