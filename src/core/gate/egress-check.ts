import type { Egress } from '../ports/voice-stream.ts';

/**
 * The egress cross-check: the gate's own count of the bytes it handed to a stream against
 * the transport's count of what it wrote to the socket (counted below the gate).
 *
 * - `over`: more left than the gate released (a double write, a stray writer): a fault.
 * - `short`: less left while the transport still says it is taking audio: a fault (the
 *   ledger would overstate what was sent, and something is dropping or holding audio).
 * - `ok`: equal, or less because the transport stopped taking audio (connection gone,
 *   stream capped): then the ledger records the transport's figure, what really left.
 */
export type EgressVerdict = 'ok' | 'over' | 'short';

export function reconcileEgress(handedBytes: number, egress: Egress): EgressVerdict {
  if (egress.bytes > handedBytes) return 'over';
  if (egress.bytes + (egress.held ?? 0) < handedBytes && !egress.closed) return 'short';
  return 'ok';
}

export const EGRESS_FAULT = 'EGRESS_MISMATCH';
