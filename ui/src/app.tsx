import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { SetupInfo } from '../../src/display/protocol.ts';
import { acknowledgePainted, hello, linkOutdated, request, view } from './connection.ts';
import { afterPaint } from './paint.ts';
import { currentPage, firstRunOpen } from './navigation.ts';
import { Banners } from './components/banners.tsx';
import { NotificationCard, ResponseCard } from './components/cards.tsx';
import { FollowUpCountdown } from './components/follow-up.tsx';
import { TimersCard } from './components/timers-card.tsx';
import { HomeClock } from './components/home-clock.tsx';
import { ListeningBar } from './components/listening-bar.tsx';
import { MuteOverlay } from './components/mute-overlay.tsx';
import { NavBar } from './components/nav-bar.tsx';
import { PrivacyStatus } from './components/privacy-status.tsx';
import { ScanPanel } from './components/scan-panel.tsx';
import { SimPanel } from './components/sim-panel.tsx';
import { ActivityPage } from './pages/activity/activity-page.tsx';
import { FirstRun } from './pages/first-run/first-run.tsx';
import { HistoryPage } from './pages/history/history-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';

/** Once per page load: a data dir that has not completed the first run shows it. */
function useFirstRunCheck(connectedBoard: string | undefined): void {
  useEffect(() => {
    if (!connectedBoard) return;
    request<SetupInfo>({ op: 'get-setup' }).then(
      (s) => {
        if (!s.done) firstRunOpen.value = true;
      },
      () => {}, // SETUP_UNAVAILABLE: a device without a data dir has no first run
    );
  }, [connectedBoard]);
}

function Home({ v }: { v: NonNullable<typeof view.value> }) {
  return (
    <section class="page home" aria-label="Home">
      <HomeClock />
      <PrivacyStatus view={v} />
      <NotificationCard view={v} />
      <TimersCard view={v} />
      <ResponseCard view={v} />
      <FollowUpCountdown view={v} />
    </section>
  );
}

function CurrentPage({ v }: { v: NonNullable<typeof view.value> }) {
  if (firstRunOpen.value) return <FirstRun />;
  switch (currentPage.value) {
    case 'home':
      return <Home v={v} />;
    case 'activity':
      return <section class="page" aria-label="Activity"><ActivityPage /></section>;
    case 'history':
      return <section class="page" aria-label="Voice history"><HistoryPage /></section>;
    case 'settings':
      return <section class="page" aria-label="Settings"><SettingsPage /></section>;
    case 'scan':
      return <ScanPanel />;
  }
}

export function App() {
  const v = view.value;
  const [drawer, setDrawer] = useState(false);
  // After the DOM for this view version is committed, wait for it to be painted, then
  // tell the device: this acknowledgement is what lets the first audio byte leave.
  useLayoutEffect(() => {
    if (v) afterPaint(() => acknowledgePainted(v.version));
  }, [v?.version]);
  useFirstRunCheck(hello.value?.board);
  if (!v && linkOutdated.value) {
    return (
      <div class="connecting" role="alert">
        <p>This screen link is out of date (or has no access token).</p>
        <p>Each start of Tally makes a new link: open the <code>screen: http://…</code> URL that <code>tally start</code> printed in its terminal.</p>
      </div>
    );
  }
  if (!v) return <div class="connecting">Connecting to Tally…</div>;
  const sim = hello.value?.sim ?? false;
  return (
    <div class={`screen state-${v.state} ${v.night ? 'night' : ''} ${sim ? 'with-sim' : ''} ${v.muted ? 'is-muted' : ''}`} data-state={v.state} data-version={v.version}>
      <main class="stage">
        <NavBar drawerOpen={drawer} onDrawer={() => setDrawer(!drawer)} />
        <Banners view={v} />
        <CurrentPage v={v} />
      </main>
      {sim && <SimPanel open={drawer} onClose={() => setDrawer(false)} />}
      {/* Last in the document and fixed above everything: no page or drawer can cover them. */}
      <MuteOverlay view={v} />
      <ListeningBar view={v} />
    </div>
  );
}
