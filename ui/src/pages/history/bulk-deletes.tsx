import { useEffect, useRef, useState } from 'preact/hooks';
import type { ScreenRequest } from '../../../../src/display/protocol.ts';

/** Delete a date range, everything from one device, or everything (with a confirmation). */
export function BulkDeletes({ devices, run }: { devices: string[]; run(label: string, req: ScreenRequest): Promise<void> }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [confirmAll, setConfirmAll] = useState(false);
  // The question appears below the fold on a small screen: focus it (which scrolls it into view).
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirmAll) cancel.current?.focus();
  }, [confirmAll]);
  return (
    <section class="bulk-deletes" aria-label="Delete more at once">
      <h2>Delete more at once</h2>
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
          <p>Delete every recording, transcript and scan on this device? This cannot be undone.</p>
          <div class="confirm-actions">
            <button type="button" class="danger" onClick={() => void run('Delete all', { op: 'delete-all', confirm: true }).then(() => setConfirmAll(false))}>
              Yes, delete all
            </button>
            <button type="button" ref={cancel} onClick={() => setConfirmAll(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="danger" onClick={() => setConfirmAll(true)}>
          Delete all
        </button>
      )}
    </section>
  );
}
