import { useLayoutEffect, useState } from 'preact/hooks';
import { acknowledgePainted, hello, linkOutdated, view } from './connection.ts';
import { afterPaint } from './paint.ts';
import { Banners } from './components/banners.tsx';
import { NotificationCard, ResponseCard } from './components/cards.tsx';
import { FollowUpCountdown } from './components/follow-up.tsx';
import { TimersCard } from './components/timers-card.tsx';
import { HomeClock } from './components/home-clock.tsx';
import { ListeningBar } from './components/listening-bar.tsx';
import { MuteOverlay } from './components/mute-overlay.tsx';
import { PrivacyDashboard } from './components/privacy-dashboard.tsx';
import { ScanPanel } from './components/scan-panel.tsx';
import { SimPanel } from './components/sim-panel.tsx';

type Page = 'home' | 'privacy' | 'scan';

export function App() {
  const v = view.value;
  const [page, setPage] = useState<Page>('home');
  // After the DOM for this view version is committed, wait for it to be painted, then
  // tell the device: this acknowledgement is what lets the first audio byte leave.
  useLayoutEffect(() => {
    if (v) afterPaint(() => acknowledgePainted(v.version));
  }, [v?.version]);
  if (!v && linkOutdated.value) {
    return (
      <div class="connecting" role="alert">
        <p>This screen link is out of date (or has no access token).</p>
        <p>Each start of Tally makes a new link: open the <code>screen: http://…</code> URL that <code>tally start</code> printed in its terminal.</p>
      </div>
    );
  }
  if (!v) return <div class="connecting">Connecting to Tally…</div>;
  return (
    <div class={`screen state-${v.state} ${v.night ? 'night' : ''} ${hello.value?.sim ? 'with-sim' : ''}`} data-state={v.state} data-version={v.version}>
      <main class="stage">
        <nav class="nav" aria-label="Pages">
          {(['home', 'privacy', 'scan'] as const).map((p) => (
            <button type="button" aria-current={page === p ? 'page' : undefined} onClick={() => setPage(p)}>
              {p === 'home' ? 'Home' : p === 'privacy' ? 'Privacy' : 'Scan'}
            </button>
          ))}
        </nav>
        <Banners view={v} />
        {page === 'home' && (
          <section class="page home" aria-label="Home">
            <HomeClock />
            <NotificationCard view={v} />
            <TimersCard view={v} />
            <ResponseCard view={v} />
            <FollowUpCountdown view={v} />
          </section>
        )}
        {page === 'privacy' && <PrivacyDashboard />}
        {page === 'scan' && <ScanPanel />}
        <MuteOverlay view={v} />
        <ListeningBar view={v} />
      </main>
      {hello.value?.sim && <SimPanel />}
    </div>
  );
}
