import { hello } from '../connection.ts';
import { currentPage, firstRunOpen, go, PAGE_LABEL, PAGES } from '../navigation.ts';

/** The page buttons, and the simulator drawer's handle on boards that have one. */
export function NavBar({ drawerOpen, onDrawer }: { drawerOpen: boolean; onDrawer(): void }) {
  return (
    <nav class="nav" aria-label="Pages">
      {PAGES.map((p) => (
        <button type="button" aria-current={currentPage.value === p && !firstRunOpen.value ? 'page' : undefined} onClick={() => go(p)}>
          {PAGE_LABEL[p]}
        </button>
      ))}
      {hello.value?.sim && (
        <button type="button" class="drawer-toggle" aria-expanded={drawerOpen} aria-controls="sim-panel" onClick={onDrawer}>
          Simulator
        </button>
      )}
    </nav>
  );
}
