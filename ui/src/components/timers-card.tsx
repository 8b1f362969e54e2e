import { useEffect, useState } from 'preact/hooks';
import type { WireView } from '../../../src/display/protocol.ts';
import { clockSync } from '../connection.ts';
import { remainingFollowUpMs as remainingUntil } from '../follow-up-time.ts';

/** "4:05" / "1:02:03": what a kitchen timer shows. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Running (and paused) timers from the voice service, counting down on the device clock. */
export function TimersCard({ view }: { view: WireView }) {
  const [now, setNow] = useState(performance.now());
  const any = view.timers.length > 0;
  useEffect(() => {
    if (!any) return;
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, [any]);
  if (!any) return null;
  return (
    <section class="card timers-card" aria-label="Timers">
      {view.timers.map((t) => {
        const left = t.active && t.endsAt !== null ? remainingUntil(t.endsAt, clockSync.value, now) : t.remainingMs;
        return (
          <div class="timer-row" role="timer" aria-label={t.name ?? 'Timer'} data-testid="timer">
            <span class="timer-name">{t.name ?? 'Timer'}</span>
            <span class="timer-left">{formatCountdown(left)}</span>
            {!t.active && <span class="timer-paused">paused</span>}
          </div>
        );
      })}
    </section>
  );
}
