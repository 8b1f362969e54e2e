import { useEffect, useState } from 'preact/hooks';
import type { WireView } from '../../../src/display/protocol.ts';
import { clockSync } from '../connection.ts';
import { remainingFollowUpMs } from '../follow-up-time.ts';

export function FollowUpCountdown({ view }: { view: WireView }) {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(t);
  }, []);
  if (view.state !== 'follow-up' || view.followUpEndsAt === null) return null;
  const left = remainingFollowUpMs(view.followUpEndsAt, clockSync.value, now);
  const total = view.followUpMs ?? 5000;
  const fraction = Math.min(1, left / total);
  return (
    <div class="follow-up" role="timer" aria-label="Follow-up window">
      <div class="follow-up-text">Still listening — {Math.ceil(left / 1000)} s</div>
      <div class="follow-up-track">
        <div class="follow-up-fill" style={{ transform: `scaleX(${fraction})` }} />
      </div>
    </div>
  );
}
