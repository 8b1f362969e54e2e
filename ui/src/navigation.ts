import { signal } from '@preact/signals';

export const PAGES = ['home', 'activity', 'history', 'settings', 'scan'] as const;
export type Page = (typeof PAGES)[number];
export const PAGE_LABEL: Record<Page, string> = { home: 'Home', activity: 'Activity', history: 'History', settings: 'Settings', scan: 'Scan' };

/** Which page is shown; the privacy line on Home and the settings page move it too. */
export const currentPage = signal<Page>('home');
/** The first-run flow: shown when the data dir has not completed it, or re-opened from Settings. */
export const firstRunOpen = signal(false);
/** Bumped whenever settings change here, so the privacy line and retention text reload. */
export const settingsRevision = signal(0);

/** Moving to a page leaves the first-run flow for now (as "Later" does; it shows again next start). */
export function go(page: Page): void {
  firstRunOpen.value = false;
  currentPage.value = page;
}
