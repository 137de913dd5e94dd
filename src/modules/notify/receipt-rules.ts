import type { ReceiptStatus } from './receipts.ts';

export interface SegmentReceipt {
  smscMessageId: string;
  status: ReceiptStatus;
  stat: string;
  receivedAt: Date;
}

export interface MessageOutcome {
  status: ReceiptStatus;
  /** When the deciding receipt arrived: the last segment's for a delivery, the first failure's otherwise. */
  at: Date;
  /** The stat of the first failed segment (for the failure report); null for a delivery. */
  stat: string | null;
}

/**
 * What the receipts say about one submitted message whose segments got `smscIds`. Receipts are read
 * per segment; an SMSC that repeats a receipt changes nothing (the first one of a segment counts).
 * DELIVERED needs every segment delivered: a handset cannot show a long message with a part missing.
 * Any failed or expired segment decides the message at once. null while segments are still due.
 */
export function messageOutcome(smscIds: readonly string[], receipts: readonly SegmentReceipt[]): MessageOutcome | null {
  if (smscIds.length === 0) return null;
  const firstBySegment = new Map<string, SegmentReceipt>();
  for (const r of [...receipts].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())) {
    if (smscIds.includes(r.smscMessageId) && !firstBySegment.has(r.smscMessageId)) firstBySegment.set(r.smscMessageId, r);
  }
  const seen = [...firstBySegment.values()];
  const failure = seen.find((r) => r.status !== 'DELIVERED');
  if (failure) return { status: failure.status, at: failure.receivedAt, stat: failure.stat };
  if (new Set(smscIds).size !== firstBySegment.size) return null;
  const last = seen.reduce((a, b) => (b.receivedAt > a.receivedAt ? b : a));
  return { status: 'DELIVERED', at: last.receivedAt, stat: null };
}

const OPT_OUT_CODES = new Set(['T', 'TD', 'R']);

/**
 * Whether a reply asks to stop messages: the carriers' markers (回T退订, 回TD退订, 拒收请回复R) and the
 * words 退订 or 拒收 anywhere in the reply. Full-width letters, case, spaces and punctuation do not matter.
 */
export function isOptOut(reply: string): boolean {
  const normalised = reply.normalize('NFKC').toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
  return OPT_OUT_CODES.has(normalised) || normalised.includes('退订') || normalised.includes('拒收');
}
