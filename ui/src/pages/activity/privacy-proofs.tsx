import { request } from '../../connection.ts';
import { settingsRevision } from '../../navigation.ts';
import { useLoad } from '../../use-load.ts';

interface PrivacyStatusReply {
  chain: { intact: boolean; sealed: number; receipts: number; head: string } | null;
  receipts: { at: number; detail: { path?: string; items?: number } }[];
  muteVerified: { at: number; detail: { method?: string } }[];
  falseWakesPerDay: { day: string; count: number }[];
}

const when = (ms: number) => new Date(ms).toLocaleString();

/** The privacy page's statement: exactly what is true, nothing more. */
function Statement() {
  return (
    <p class="muted" data-testid="privacy-statement">
      No code path uploads recordings anywhere but the paired voice service, and only while the blue light is on. Every
      outbound connection goes to that service, this screen's loopback, or (only when you enable it) the product catalog.
    </p>
  );
}

/** What proves the activity picture: the ledger's hash chain, deletion receipts, mute proofs, false wakes per day. */
export function PrivacyProofs({ revision }: { revision: unknown }) {
  const { data } = useLoad(() => request<PrivacyStatusReply>({ op: 'privacy-status' }), [revision, settingsRevision.value]);
  return (
    <section class="privacy-proofs" aria-label="Privacy proofs">
      <Statement />
      {data && (
        <>
          <p data-testid="chain-status">
            {data.chain === null
              ? "Activity is kept in memory only (don't save is on)."
              : data.chain.intact
                ? `Activity log intact: ${data.chain.sealed} entries, hash-chained (head ${data.chain.head.slice(0, 12)}…).`
                : 'Activity log BROKEN: an entry was changed or removed without a receipt.'}
          </p>
          {data.muteVerified[0] && (
            <p data-testid="mute-verified">
              Mute verified deaf at {when(data.muteVerified[0].at)} ({data.muteVerified[0].detail.method}).
            </p>
          )}
          {data.receipts.length > 0 && (
            <ul aria-label="Deletion receipts">
              {data.receipts.map((r) => (
                <li data-testid="receipt">
                  {r.detail.items ?? 0} items deleted at {when(r.at)}, verified on disk
                </li>
              ))}
            </ul>
          )}
          {data.falseWakesPerDay.length > 0 && (
            <ul aria-label="False wakes per day">
              {data.falseWakesPerDay.map((d) => (
                <li data-testid="false-wakes-day">
                  {d.day}: {d.count} false wake{d.count === 1 ? '' : 's'}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
