import { afterEach, expect, it } from 'vitest';

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

/**
 * A contract case that needs something not every harness can do (inject a fault, read
 * back the latched frame). The harness declares what it can when its suite is
 * registered: declared, the case runs and the harness must really provide it; not
 * declared, the case is registered under a name that says it is not run for this
 * harness, and checks that the harness really lacks it — so nothing is skipped at run
 * time and a capability cannot be left undeclared.
 */
export function capabilityCase<H>(
  declared: boolean,
  setup: () => Promise<H>,
  title: string,
  capability: { can: string; has(h: H): boolean },
  body: (h: H) => Promise<void>,
): void {
  if (declared) {
    it(title, async () => {
      const h = await setup();
      expect(capability.has(h), `the harness declared that it can ${capability.can}`).toBe(true);
      await body(h);
    });
  } else {
    it(`not run for this harness (it cannot ${capability.can}): ${title}`, async () => {
      const h = await setup();
      expect(capability.has(h), `the harness can ${capability.can} but does not declare it`).toBe(false);
    });
  }
}
