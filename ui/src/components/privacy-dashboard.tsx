import { useEffect, useState } from 'preact/hooks';
import type { RecordingSummary } from '../../../src/display/protocol.ts';
import { hello, historyRevision, request, RequestError, token } from '../connection.ts';
import { SettingsPanel } from './settings-panel.tsx';

interface LedgerRow {
  id: string;
  startedAt: number;
  endedAt: number | null;
  trigger: string;
  wakeWord: string | null;
  preRollMs: number;
  audioBytes: number;
  destination: string;
  endReason: string | null;
}

const when = (ms: number) => new Date(ms).toLocaleString();

function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (e: RequestError) => live && setState({ data: null, error: e.code ?? 'ERROR' }),
    );
    return () => {
      live = false;
    };
  }, [...deps, historyRevision.value]);
  return state;
}

/** "What left this device, when, why, to whom, for how long." */
const KEPT: Record<string, string> = { keep: 'until you delete them', '3-months': 'for 3 months', '18-months': 'for 18 months' };

/** How long what was sent is kept here: the other half of "for how long". */
function Retention() {
  const { data } = useLoad(() => request<Record<string, unknown>>({ op: 'get-settings' }), []);
  if (!data) return null;
  const text = data.dontSave || !data.saveRecordings
    ? 'No recordings or transcripts are kept on this device.'
    : `Recordings and transcripts are kept on this device ${KEPT[String(data.retention)] ?? String(data.retention)}.`;
  return (
    <p class="muted" data-testid="retention">
      {text} The voice service receives audio only while the blue light is on.
    </p>
  );
}

function Ledger() {
  const { data, error } = useLoad(() => request<LedgerRow[]>({ op: 'list-ledger', limit: 100, offset: 0 }), []);
  if (error) return <p role="alert">Activity unavailable ({error})</p>;
  if (!data) return <p>Loading…</p>;
  if (!data.length) return <p>Nothing has left this device.</p>;
  return (
    <>
    <Retention />
    <table class="ledger" aria-label="What left this device">
      <thead>
        <tr>
          <th>When</th>
          <th>Why</th>
          <th>To whom</th>
          <th>How long</th>
          <th>Audio</th>
          <th>Ended</th>
        </tr>
      </thead>
      <tbody>
        {data.map((r) => (
          <tr>
            <td>{when(r.startedAt)}</td>
            <td>{r.trigger === 'wake' ? `wake word${r.wakeWord ? ` “${r.wakeWord}”` : ''}` : r.trigger}</td>
            <td>{r.destination}</td>
            <td>{r.endedAt === null ? 'open' : `${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s (incl. ${r.preRollMs} ms before the trigger)`}</td>
            <td>{(r.audioBytes / 1024).toFixed(0)} KiB</td>
            <td>{r.endReason ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </>
  );
}

async function playRecording(id: string): Promise<void> {
  // The token goes in a header, not the URL; the audio becomes a blob URL (CSP media-src blob:).
  const res = await fetch(`/api/recordings/${encodeURIComponent(id)}/audio`, { headers: { 'x-tally-token': token } });
  if (!res.ok) throw new Error(`audio ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const audio = new Audio(url);
  audio.onended = () => URL.revokeObjectURL(url);
  await audio.play();
}

function VoiceHistory() {
  const { data, error } = useLoad(() => request<RecordingSummary[]>({ op: 'list-recordings', limit: 100, offset: 0 }), []);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [confirmAll, setConfirmAll] = useState(false);
  const [status, setStatus] = useState('');
  const run = async (label: string, req: Parameters<typeof request>[0]) => {
    try {
      await request(req);
      setStatus(`${label}: done`);
    } catch (e) {
      setStatus(`${label} failed (${(e as RequestError).code})`);
    }
  };
  if (error) return <p role="alert">Voice history unavailable ({error})</p>;
  if (!data) return <p>Loading…</p>;
  const devices = [...new Set(data.map((r) => r.deviceId))];
  return (
    <div class="voice-history">
      <p class="status" role="status">
        {status}
      </p>
      {data.length === 0 ? (
        <p data-testid="history-empty">No recordings are kept on this device.</p>
      ) : (
        <ul class="recordings" aria-label="Recordings">
          {data.map((r) => (
            <li data-testid="recording">
              <span class="rec-when">{when(r.startedAt)}</span>
              <span class="rec-text">{r.transcript ?? '(no transcript)'}</span>
              {r.hasAudio && (
                <button type="button" aria-label={`Play recording from ${when(r.startedAt)}`} onClick={() => void playRecording(r.id).catch(() => setStatus('playback failed'))}>
                  Play
                </button>
              )}
              <button type="button" aria-label={`Delete recording from ${when(r.startedAt)}`} onClick={() => void run('Delete', { op: 'delete-recording', id: r.id })}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="delete-range"
        onSubmit={(e) => {
          e.preventDefault();
          if (!from || !to) return;
          void run('Delete range', { op: 'delete-range', from: new Date(from).getTime(), to: new Date(to).getTime() });
        }}
      >
        <label>
          From <input type="datetime-local" aria-label="Delete from" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          To <input type="datetime-local" aria-label="Delete to" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Delete range</button>
      </form>
      <div class="delete-devices">
        {devices.map((d) => (
          <button type="button" onClick={() => void run(`Delete ${d}`, { op: 'delete-device', deviceId: d })}>
            Delete everything recorded by device “{d}”
          </button>
        ))}
      </div>
      {confirmAll ? (
        <div class="confirm" role="alertdialog" aria-label="Confirm delete all">
          Delete every recording, transcript and scan on this device? This cannot be undone.
          <button type="button" onClick={() => void run('Delete all', { op: 'delete-all', confirm: true }).then(() => setConfirmAll(false))}>
            Yes, delete all
          </button>
          <button type="button" onClick={() => setConfirmAll(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" class="danger" onClick={() => setConfirmAll(true)}>
          Delete all
        </button>
      )}
    </div>
  );
}

const TABS = ['Activity', 'Voice history', 'Settings'] as const;

export function PrivacyDashboard() {
  const [tab, setTab] = useState<(typeof TABS)[number]>('Activity');
  const hasHistory = hello.value?.features.history ?? false;
  return (
    <section class="page privacy" aria-label="Privacy">
      <div role="tablist" class="tabs">
        {TABS.map((t) => (
          <button type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t}
          </button>
        ))}
      </div>
      {tab === 'Activity' && <Ledger />}
      {tab === 'Voice history' && (hasHistory ? <VoiceHistory /> : <p>This device keeps no voice history.</p>)}
      {tab === 'Settings' && <SettingsPanel />}
    </section>
  );
}
