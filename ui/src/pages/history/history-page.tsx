import { useEffect, useState } from 'preact/hooks';
import type { RecordingSummary, ScreenRequest } from '../../../../src/display/protocol.ts';
import { hello, historyRevision, request, RequestError, token } from '../../connection.ts';
import { dayName, localMidnight } from '../../format.ts';
import { BulkDeletes } from './bulk-deletes.tsx';
import { RecordingItem, type ItemActions } from './recording-item.tsx';

export const PAGE_SIZE = 50;

async function playRecording(id: string): Promise<void> {
  // The token goes in a header, not the URL; the audio becomes a blob URL (CSP media-src blob:).
  const res = await fetch(`/api/recordings/${encodeURIComponent(id)}/audio`, { headers: { 'x-tally-token': token } });
  if (!res.ok) throw new Error(`audio ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const audio = new Audio(url);
  audio.onended = () => URL.revokeObjectURL(url);
  await audio.play();
}

function byDay(rows: RecordingSummary[]): { day: number; rows: RecordingSummary[] }[] {
  const out: { day: number; rows: RecordingSummary[] }[] = [];
  for (const r of rows) {
    const day = localMidnight(r.startedAt);
    const last = out.at(-1);
    if (last?.day === day) last.rows.push(r);
    else out.push({ day, rows: [r] });
  }
  return out;
}

/** Pages of the history, newest first; "Show older" appends the next page. A change anywhere reloads what is shown. */
function usePagedRecordings(): { rows: RecordingSummary[] | null; more: boolean; error: string | null; loadMore(): void } {
  const [pages, setPages] = useState(1);
  const [state, setState] = useState<{ rows: RecordingSummary[] | null; more: boolean; error: string | null }>({ rows: null, more: false, error: null });
  useEffect(() => {
    let live = true;
    // Every page shown so far, plus one row past them to know whether there is more.
    const shown = Array.from({ length: pages }, (_, i) => request<RecordingSummary[]>({ op: 'list-recordings', limit: PAGE_SIZE, offset: i * PAGE_SIZE }));
    const next = request<RecordingSummary[]>({ op: 'list-recordings', limit: 1, offset: pages * PAGE_SIZE });
    Promise.all([...shown, next]).then(
      (all) => live && setState({ rows: all.slice(0, -1).flat(), more: all.at(-1)!.length > 0, error: null }),
      (e: RequestError) => live && setState({ rows: null, more: false, error: e.code }),
    );
    return () => {
      live = false;
    };
  }, [pages, historyRevision.value]);
  return { ...state, loadMore: () => setPages((p) => p + 1) };
}

export function HistoryPage() {
  const [status, setStatus] = useState('');
  const { rows, more, error, loadMore } = usePagedRecordings();
  if (!(hello.value?.features.history ?? false)) return <p>This device keeps no voice history.</p>;
  const run = async (label: string, req: ScreenRequest) => {
    try {
      await request(req);
      setStatus(`${label}: done`);
    } catch (e) {
      setStatus(`${label} failed (${(e as RequestError).code})`);
    }
  };
  const actions: ItemActions = {
    play: (id) => void playRecording(id).catch(() => setStatus('Playback failed')),
    remove: (id) => void run('Delete', { op: 'delete-recording', id }),
    notMeant: (id) => void run('Not meant for me — deleted', { op: 'not-meant-for-me', id }),
  };
  if (error) return <p role="alert">Voice history unavailable ({error})</p>;
  if (!rows) return <p>Loading…</p>;
  return (
    <div class="voice-history">
      <p class="status" role="status">
        {status}
      </p>
      {rows.length === 0 ? (
        <p data-testid="history-empty">No recordings are kept on this device.</p>
      ) : (
        byDay(rows).map((g) => (
          <section class="history-day" aria-label={dayName(g.day)}>
            <h2 class="day-heading">{dayName(g.day)}</h2>
            <ul class="recordings">
              {g.rows.map((r) => (
                <RecordingItem r={r} actions={actions} />
              ))}
            </ul>
          </section>
        ))
      )}
      {more && (
        <button type="button" class="show-older" onClick={loadMore}>
          Show older
        </button>
      )}
      <BulkDeletes devices={[...new Set(rows.map((r) => r.deviceId))]} run={run} />
    </div>
  );
}
