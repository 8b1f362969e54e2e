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

/** How long the audio that left lasts, from its bytes (16 kHz mono int16): the pre-roll is inside it. */
export function audioDuration(audioBytes: number, preRollMs: number): string {
  return `${(audioBytes / 32_000).toFixed(1)} s of audio (of which ${preRollMs} ms from before the trigger)`;
}

interface PrivacyStatus {
  chain: { intact: boolean; sealed: number; receipts: number; head: string } | null;
  receipts: { at: number; detail: { path?: string; items?: number } }[];
  muteVerified: { at: number; detail: { method?: string } }[];
  falseWakesPerDay: { day: string; count: number }[];
}

/** The privacy page's statement: exactly what is true, nothing more. */
function Statement() {
  return (
    <p class="muted" data-testid="privacy-statement">
      No code path uploads recordings anywhere but the paired voice service, and only while the blue light is on. Every
      outbound connection goes to that service, this screen's loopback, or (only when you enable it) the product catalog.
    </p>
  );
}

/** Chain status, deletion receipts, mute proofs and false wakes per day. */
function Status() {
  const { data } = useLoad(() => request<PrivacyStatus>({ op: 'privacy-status' }), []);
  if (!data) return null;
  return (
    <div class="privacy-status">
      <p data-testid="chain-status">
        {data.chain === null
          ? "Activity is kept in memory only (don't save is on)."
          : data.chain.intact
            ? `Activity log intact: ${data.chain.sealed} entries, hash-chained (head ${data.chain.head.slice(0, 12)}…).`
            : 'Activity log BROKEN: an entry was changed or removed without a receipt.'}
      </p>
      {data.muteVerified[0] && <p data-testid="mute-verified">Mute verified deaf at {when(data.muteVerified[0].at)} ({data.muteVerified[0].detail.method}).</p>}
      <ul aria-label="Deletion receipts">
        {data.receipts.map((r) => (
          <li data-testid="receipt">
            {r.detail.items ?? 0} items deleted at {when(r.at)}, verified on disk
          </li>
        ))}
      </ul>
      {data.falseWakesPerDay.length > 0 && (
        <ul aria-label="False wakes per day">
          {data.falseWakesPerDay.map((d) => (
            <li data-testid="false-wakes-day">
              {d.day}: {d.count} false wake{d.count === 1 ? '' : 's'}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

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
  if (!data.length)
    return (
      <>
        <Statement />
        <Status />
        <p>Nothing has left this device.</p>
      </>
    );
  return (
    <>
    <Statement />
    <Retention />
    <Status />
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
            <td data-testid="ledger-duration">{r.endedAt === null ? 'open' : audioDuration(r.audioBytes, r.preRollMs)}</td>
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
              <span class="rec-trigger">{r.trigger === 'wake' ? 'wake word' : r.trigger}</span>
              {r.falseWake && <span class="rec-false-wake" data-testid="false-wake">probable false wake</span>}
              <span class="rec-text">{r.transcript ?? '(no transcript)'}</span>
              <button type="button" onClick={() => void run('Not meant for me', { op: 'not-meant-for-me', id: r.id })}>
                Not meant for me
              </button>
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
            Delete everything from {d}
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
