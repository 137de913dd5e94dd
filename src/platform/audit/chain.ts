import { hmacSm3 } from '../crypto/sm.ts';
import { canonicalJson } from './canonical.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  orgId: string | null;
  orgName: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  requestId: string | null;
  details: unknown;
}

/** HMAC-SM3(chain key, previous hash ‖ canonical entry): editing any field or dropping a row breaks the chain. */
export function linkHash(chainKey: Buffer, prevHash: string, e: ChainedFields): string {
  const body = canonicalJson([
    e.seq,
    e.at.toISOString(),
    e.actorType,
    e.actorId,
    e.actorName,
    e.orgId,
    e.orgName,
    e.ip,
    e.action,
    e.targetType,
    e.targetId,
    e.outcome,
    e.requestId,
    e.details,
  ]);
  return hmacSm3(chainKey, `${prevHash}|${body}`).toString('hex');
}

export interface BrokenLink {
  seq: number;
  reason: 'HASH_MISMATCH' | 'PREV_HASH_MISMATCH' | 'SEQUENCE_GAP' | 'HEAD_MISMATCH';
}

/**
 * Walks rows in seq order, carrying the previous hash across pages. Returns the first broken link,
 * or null. `expectedSeq` starts at 1.
 */
export function checkLinks(
  chainKey: Buffer,
  rows: (ChainedFields & { prevHash: string; hash: string })[],
  state: { expectedSeq: number; prevHash: string },
): BrokenLink | null {
  for (const row of rows) {
    if (row.seq !== state.expectedSeq) return { seq: state.expectedSeq, reason: 'SEQUENCE_GAP' };
    if (row.prevHash !== state.prevHash) return { seq: row.seq, reason: 'PREV_HASH_MISMATCH' };
    if (linkHash(chainKey, row.prevHash, row) !== row.hash) return { seq: row.seq, reason: 'HASH_MISMATCH' };
    state.expectedSeq += 1;
    state.prevHash = row.hash;
  }
  return null;
}
