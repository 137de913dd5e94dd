import { and, inArray, isNotNull } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/engine.ts';
import { shanghaiDate } from '../calendar/zone.ts';
import { smsMessages } from './schema.ts';
import { createdInShanghaiDays, statementColumns } from './statements-columns.ts';
import { billing, HANDSET_FAULT_CODES, type StatementMessage } from './statements-rules.ts';

/**
 * What the settlement module prices of the SMS outbox: every message a provider accepted in the
 * Shanghai days `from`..`to` with its billed segments (a content duplicate names the message it
 * repeats and is not billed), and the delivery statistics per month, both by the billing rule of the
 * monthly statement (statements-rules). No recipient data leaves the module.
 */

export interface SettledMessage {
  id: string;
  on: string;
  segments: number;
  duplicateOf: string | null;
}

export interface SettledDelivery {
  /** First day of the month (or of the range, when it starts mid-month). */
  on: string;
  month: string;
  delivered: number;
  /** Billed, not a handset or number fault, and not delivered (failed, expired or still waiting). */
  failedProviderCause: number;
  /** Failed because the number or handset was at fault: outside the delivery-rate basis. */
  failedOtherCause: number;
}

export async function settledMessages(db: Queryable, q: { providers: readonly string[]; from: string; to: string }): Promise<{ messages: SettledMessage[]; delivery: SettledDelivery[] }> {
  if (q.providers.length === 0) return { messages: [], delivery: [] };
  const rows = await db
    .select({ id: smsMessages.id, ...statementColumns })
    .from(smsMessages)
    .where(and(inArray(smsMessages.provider, [...q.providers]), isNotNull(smsMessages.submittedAt), createdInShanghaiDays(q.from, q.to)))
    .orderBy(smsMessages.createdAt, smsMessages.id);
  const bills = billing(rows satisfies StatementMessage[]);
  const kept = new Map<string, string>();
  const messages: SettledMessage[] = [];
  const months = new Map<string, SettledDelivery>();
  rows.forEach((m, i) => {
    const key = `${m.phoneIdx}\u0000${m.text}`;
    const bill = bills[i]!;
    const on = shanghaiDate(m.createdAt);
    messages.push({ id: m.id, on, segments: m.segments, duplicateOf: bill.duplicate ? (kept.get(key) ?? m.id) : null });
    if (!bill.duplicate) kept.set(key, m.id);
    if (!bill.billed) return;
    const month = on.slice(0, 7);
    const stats = months.get(month) ?? { on: `${month}-01` < q.from ? q.from : `${month}-01`, month, delivered: 0, failedProviderCause: 0, failedOtherCause: 0 };
    if (m.status === 'DELIVERED') stats.delivered++;
    else if (m.status === 'FAILED' && HANDSET_FAULT_CODES.includes(m.failureCode ?? m.status)) stats.failedOtherCause++;
    else stats.failedProviderCause++;
    months.set(month, stats);
  });
  return { messages, delivery: [...months.values()].sort((a, b) => a.on.localeCompare(b.on)) };
}
