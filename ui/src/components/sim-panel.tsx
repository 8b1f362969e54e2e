import { useState } from 'preact/hooks';
import { request, simSnapshot } from '../connection.ts';

/**
 * The simulator's hardware, drawn: ring, red LED, relay, and the buttons that drive it.
 * Docked beside the page on a wide screen; a drawer (NavBar's "Simulator") on a 7-inch one.
 */
export function SimPanel({ open, onClose }: { open: boolean; onClose(): void }) {
  const snap = simSnapshot.value;
  const [wav, setWav] = useState('');
  const [busy, setBusy] = useState(false);
  if (!snap) return null;
  const chosen = wav || snap.wavs[0] || '';
  const n = snap.ring.length;
  return (
    <aside id="sim-panel" class={`sim-panel ${open ? 'open' : ''}`} aria-label="Simulator">
      <div class="sim-head">
        <h2>Simulator</h2>
        <button type="button" class="drawer-close" onClick={onClose}>
          Close
        </button>
      </div>
      <div class="sim-ring" role="img" aria-label="Light ring" data-testid="sim-ring">
        {snap.ring.map(([r, g, b], i) => {
          const a = (2 * Math.PI * i) / n - Math.PI / 2;
          return <span class="sim-pixel" data-rgb={`${r},${g},${b}`} style={{ background: `rgb(${r},${g},${b})`, left: `${50 + 40 * Math.cos(a)}%`, top: `${50 + 40 * Math.sin(a)}%` }} />;
        })}
      </div>
      <div class="sim-row">
        <span class={`sim-led ${snap.redLed ? 'on' : ''}`} role="img" aria-label={`Red LED ${snap.redLed ? 'on' : 'off'}`} data-testid="sim-led" />
        <span data-testid="sim-relay">Relay: {snap.relay === null ? 'none' : snap.relay === 'closed' ? 'closed (mic powered)' : 'open (mic unpowered)'}</span>
      </div>
      <div class="sim-row">
        <button type="button" onClick={() => void request({ op: 'press', button: 'action' })}>
          Action button
        </button>
        <button type="button" onClick={() => void request({ op: 'press', button: 'mute' })}>
          Mute
        </button>
      </div>
      <div class="sim-row">
        <label>
          WAV{' '}
          <select aria-label="WAV to speak" value={chosen} onChange={(e) => setWav((e.target as HTMLSelectElement).value)}>
            {snap.wavs.map((w) => (
              <option value={w}>{w}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!chosen || busy}
          onClick={async () => {
            setBusy(true);
            try {
              await request({ op: 'sim-speak', wav: chosen });
            } finally {
              setBusy(false);
            }
          }}
        >
          Speak
        </button>
      </div>
    </aside>
  );
}
