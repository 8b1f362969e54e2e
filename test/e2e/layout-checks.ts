import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The three screens the layout is made for: the official Pi 7-inch, a 7-inch 1024×600, a 10-inch 1280×800. */
export const SIZES = [
  { width: 800, height: 480 },
  { width: 1024, height: 600 },
  { width: 1280, height: 800 },
] as const;
export type Size = (typeof SIZES)[number];

export async function atSize(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  // Two frames: the layout for the new size is painted.
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

export interface LayoutReport {
  horizontalScroll: string[];
  smallTargets: string[];
  smallText: string[];
}

/**
 * Touch targets ≥ 48 px, text ≥ 16 px, no horizontal scroll anywhere: measured in the page
 * on what is visible now. Names the offending elements so a failure says what to fix.
 */
export function checkLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none' && r.right > 0 && r.left < innerWidth;
    };
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
    const horizontalScroll: string[] = [];
    if (document.documentElement.scrollWidth > innerWidth) horizontalScroll.push(`document ${document.documentElement.scrollWidth} > ${innerWidth}`);
    for (const el of document.querySelectorAll('*')) {
      const s = getComputedStyle(el);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) horizontalScroll.push(`${name(el)} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    const smallTargets: string[] = [];
    const targets = document.querySelectorAll('button, select, input:not([type=hidden]), [role=radio], [role=tab], a[href]');
    for (const el of targets) {
      const input = el as HTMLInputElement;
      // A checkbox or a visually hidden file input is operated through its label: measure that.
      const box = (input.type === 'checkbox' || input.type === 'file' ? input.closest('label') : el) ?? el;
      if (!visible(box)) continue;
      const r = box.getBoundingClientRect();
      if (r.width < 47.5 || r.height < 47.5) smallTargets.push(`${name(box)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    const smallText: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim() || !visible(el) || el.closest('.visually-hidden, svg')) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < 16) smallText.push(`${name(el)} ${px}px`);
    }
    return { horizontalScroll, smallTargets: [...new Set(smallTargets)], smallText: [...new Set(smallText)] };
  });
}

/**
 * The listening bar and the mute edge are visible and on top: at points along the bar and
 * round the edge's border, the topmost element is the light itself. The edge ignores
 * pointer events (touches go through it), so it is made hit-testable for the measurement.
 */
export function lightsOnTop(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const probe = (testId: string, points: [number, number][]) => {
      const el = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
      if (!el) return;
      const r = el.getBoundingClientRect();
      if (r.left > 0.5 || r.top < -0.5 || Math.abs(r.right - innerWidth) > 0.5 || Math.abs(r.bottom - innerHeight) > 0.5) problems.push(`${testId} box ${JSON.stringify(r)} is not along the viewport edge`);
      const before = el.style.pointerEvents;
      el.style.pointerEvents = 'auto';
      for (const [x, y] of points) {
        const top = document.elementFromPoint(x, y);
        if (!top || !(top === el || el.contains(top))) problems.push(`${testId} covered at ${x},${y} by ${top?.tagName}.${top ? [...top.classList].join('.') : ''}`);
      }
      el.style.pointerEvents = before;
    };
    const W = innerWidth;
    const H = innerHeight;
    const along = [0.02, 0.25, 0.5, 0.75, 0.98];
    probe('listening-bar', along.map((f) => [Math.round(W * f), H - 5]));
    // Round the red edge (10 px): top, left and right; the bottom, where the bar sits when both show, too when alone.
    const bar = document.querySelector('[data-testid="listening-bar"]');
    probe('mute-edge', [
      ...along.map((f): [number, number] => [Math.round(W * f), 4]),
      ...along.map((f): [number, number] => [4, Math.round(H * f)]),
      ...along.map((f): [number, number] => [W - 4, Math.round(H * f)]),
      ...(bar ? [] : along.map((f): [number, number] => [Math.round(W * f), H - 4])),
    ]);
    return problems;
  });
}

let axeSource: string | null = null;

/** axe-core's serious and critical violations on the page as it is now (injected by evaluate: the CSP stays as shipped). */
export async function axeSerious(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(join(createRequire(import.meta.url).resolve('axe-core'), '..', 'axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Every rule at one size: layout, the lights, accessibility, and (when refreshing) the screenshot. */
export async function allRules(page: Page, name: string, size: Size): Promise<void> {
  const layout = await checkLayout(page);
  expect({ name, size, ...layout }).toEqual({ name, size, horizontalScroll: [], smallTargets: [], smallText: [] });
  expect({ name, size, lights: await lightsOnTop(page) }).toEqual({ name, size, lights: [] });
  expect({ name, size, axe: await axeSerious(page) }).toEqual({ name, size, axe: [] });
  if (process.env.TALLY_UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: join(import.meta.dirname, '../../docs/screenshots', `${name}-${size.width}x${size.height}.png`) });
}

/** Shows a scene, then checks it at each size (`focus`: what a resize must keep in view, for the screenshot). */
export async function scene(page: Page, name: string, show: () => Promise<void>, focus?: string): Promise<void> {
  await show();
  for (const size of SIZES) {
    await atSize(page, size);
    if (focus) await page.locator(focus).first().scrollIntoViewIfNeeded();
    await allRules(page, name, size);
  }
}
