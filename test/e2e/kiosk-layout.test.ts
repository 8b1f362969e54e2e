import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeBrowser, screenState, startScreenHarness, type ScreenHarness } from './screen-harness.ts';

/**
 * The screen at the Pi touchscreen sizes the kiosk shows it at: the official 7" display
 * (800×480) and a 720p HDMI panel (1280×720). Every control a finger can reach (outside
 * the desktop-only simulator panel) is at least 48×48 CSS px (Material / WCAG 2.5.5
 * guidance), lies inside the viewport, and nothing scrolls sideways.
 */
const SIZES = [
  { width: 800, height: 480 },
  { width: 1280, height: 720 },
];
const MIN_TARGET = 48;

let h: ScreenHarness | null = null;
afterEach(async () => {
  await h?.page.setViewportSize({ width: 1280, height: 800 }); // the shared page's default
  await h?.close();
  h = null;
});
afterAll(closeBrowser);

interface Target {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

describe('kiosk layouts: touch targets and fit', () => {
  for (const size of SIZES) {
    it(`${size.width}×${size.height}: targets ≥ ${MIN_TARGET} px, inside the screen, no sideways scroll`, async () => {
      h = await startScreenHarness();
      await h.page.setViewportSize(size);
      await screenState(h.page, 'idle');
      for (const pageName of ['Home', 'Privacy', 'Scan']) {
        await h.page.getByRole('button', { name: pageName, exact: true }).click();
        await h.page.waitForTimeout(200);
        await checkPage(h, size, pageName);
      }
    });
  }
});

async function checkPage(h: ScreenHarness, size: { width: number; height: number }, pageName: string): Promise<void> {
      const { targets, scrollWidth } = await h.page.evaluate(() => {
        const els = [...document.querySelectorAll<HTMLElement>('button, a[href], input:not(.visually-hidden), select, label.button-like, [role="button"], [role="switch"], [role="tab"]')];
        const visible = els.filter((e) => !e.closest('.sim-panel') && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
        return {
          targets: visible.map((e) => {
            const r = e.getBoundingClientRect();
            return { name: e.getAttribute('aria-label') ?? e.textContent?.trim().slice(0, 40) ?? e.tagName, x: r.x, y: r.y, width: r.width, height: r.height };
          }),
          scrollWidth: document.scrollingElement!.scrollWidth,
        };
      });
      expect(targets.length, pageName).toBeGreaterThan(0);
      const small = (targets as Target[]).filter((t) => t.width < MIN_TARGET || t.height < MIN_TARGET).map((t) => `${pageName}: ${t.name} ${Math.round(t.width)}×${Math.round(t.height)}`);
      expect(small).toEqual([]);
      // Pages may scroll vertically (the privacy list); sideways never, and nothing starts off-screen to the side.
      const outside = (targets as Target[]).filter((t) => t.x < 0 || t.x + t.width > size.width + 0.5).map((t) => `${pageName}: ${t.name}`);
      expect(outside).toEqual([]);
      expect(scrollWidth, pageName).toBeLessThanOrEqual(size.width);
}
