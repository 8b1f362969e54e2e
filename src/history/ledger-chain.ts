import { createHash, randomBytes } from 'node:crypto';

/**
 * The tamper-evident ledger chain: every sealed row carries the hash of the row sealed
 * before it, hash = SHA-256(prev_hash "\n" canonical content). Each row mixes in a random
 * nonce, so the hash of a deleted row reveals nothing about it (a timestamp alone would be
 * easy to guess). A deletion leaves a receipt that names the gaps it cut ("row 7 now
 * follows row 3"); verification accepts exactly those gaps and nothing else.
 *
 * What it proves: any edit, insertion or removal of rows after they were sealed, short
 * of rewriting the whole chain from the edit onwards. Someone able to rewrite the whole
 * database can rebuild the chain; the screen and `tally history verify` show the head
 * hash so an owner can note it somewhere else.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainRow {
  seq: number;
  prevHash: string;
  hash: string;
  /** Canonical content (what the hash covers besides prevHash). */
  content: string;
  /** For receipts: the gaps the deletion cut, as [seq before, seq after] pairs. */
  gaps: [number, number][];
}

export interface ChainProblem {
  seq: number;
  code: 'LEDGER_ROW_ALTERED' | 'LEDGER_LINK_BROKEN' | 'LEDGER_ROWS_MISSING';
}

export interface ChainReport {
  intact: boolean;
  sealed: number;
  /** Rows opened but never sealed (the device stopped mid-stream). */
  unsealed: number;
  receipts: number;
  /** Gaps left by deletions, each covered by a receipt. */
  bridgedGaps: number;
  head: string;
  problems: ChainProblem[];
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function chainHash(prevHash: string, content: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** Walks the sealed rows in seq order; every link must hold or be a gap a receipt declared. */
export function verifyChain(rows: ChainRow[], unsealed: number, head: { seq: number; hash: string }): ChainReport {
  const declared = new Set<string>();
  for (const r of rows) for (const [a, b] of r.gaps) declared.add(`${a}:${b}`);
  const problems: ChainProblem[] = [];
  let prev = { seq: 0, hash: GENESIS_HASH };
  let bridged = 0;
  for (const r of rows) {
    if (chainHash(r.prevHash, r.content) !== r.hash) problems.push({ seq: r.seq, code: 'LEDGER_ROW_ALTERED' });
    if (r.seq !== prev.seq + 1) {
      if (declared.has(`${prev.seq}:${r.seq}`)) bridged++;
      else problems.push({ seq: r.seq, code: 'LEDGER_ROWS_MISSING' });
    } else if (r.prevHash !== prev.hash) {
      problems.push({ seq: r.seq, code: 'LEDGER_LINK_BROKEN' });
    }
    prev = { seq: r.seq, hash: r.hash };
  }
  // The newest rows removed without a receipt: the recorded head is ahead of the last row.
  if (head.seq !== prev.seq || head.hash !== prev.hash) problems.push({ seq: head.seq, code: 'LEDGER_ROWS_MISSING' });
  return {
    intact: problems.length === 0,
    sealed: rows.length,
    unsealed,
    receipts: rows.filter((r) => r.gaps.length > 0 || r.content.startsWith('["receipt"')).length,
    bridgedGaps: bridged,
    head: prev.hash,
    problems,
  };
}

/** The gaps that deleting `deleted` (seqs) cuts into a chain whose sealed seqs are `all`; `nextSeq` is the receipt's own. */
export function gapsCutBy(all: number[], deleted: Set<number>, nextSeq: number): [number, number][] {
  const gaps: [number, number][] = [];
  let lastKept = 0;
  let inGap = false;
  for (const seq of all) {
    if (deleted.has(seq)) {
      inGap = true;
      continue;
    }
    if (inGap) gaps.push([lastKept, seq]);
    inGap = false;
    lastKept = seq;
  }
  if (inGap) gaps.push([lastKept, nextSeq]);
  return gaps;
}
