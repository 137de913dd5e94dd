import { sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { daysLate } from '../production/rules.ts';
import type { WasteCause } from './schema.ts';

/**
 * What the settlement module prices of the card lifecycle, read from the card event log: the cards a
 * receiver accepted, the cards wasted with whose fault it was, and the batches delivered late. No
 * personal data: card numbers, batch numbers and dates only. `db` is the caller's transaction (or the
 * pool), so a statement is drafted from one consistent read.
 */

export interface SettledCard {
  /** The event's sequence number: one card accepted twice would be two events, which settlement refuses. */
  eventSeq: number;
  cardId: string;
  cardNo: string | null;
  batchNo: string | null;
  receiverOrgId: string;
  outcome: 'ACCEPTED' | 'WASTED';
  wasteCause: WasteCause | null;
  prefabricated: boolean;
  on: string;
}

export interface SettledLateBatch {
  batchId: string;
  batchNo: string;
  deliveryDueAt: Date;
  deliveredAt: Date;
  daysLate: number;
  on: string;
}

const range = (from: string, to: string) => sql`e.at >= ${shanghaiInstant(from, 0).toISOString()}::timestamptz and e.at < ${shanghaiInstant(addDaysToDate(to, 1), 0).toISOString()}::timestamptz`;

/**
 * Cards of the programmes made by the producer and accepted (received at the outlet or bank, or a
 * prefabricated card issued at the counter) or wasted in the Shanghai days `from`..`to`.
 */
export async function settledCards(ctx: AppContext, db: Queryable, q: { programmeIds: readonly string[]; producerOrgId: string; from: string; to: string }): Promise<SettledCard[]> {
  if (q.programmeIds.length === 0) return [];
  const rows = await ctx.db.rows<{ seq: number | string; card_id: string; card_no: string | null; batch_no: string | null; receiver_org_id: string; to_status: string; waste_cause: WasteCause | null; mode: string; at: Date | string }>(
    db,
    sql`select e.seq, c.id as card_id, c.card_no, b.batch_no, c.receiver_org_id, e.to_status, c.waste_cause, c.mode, e.at
          from card_events e
          join card_attempts c on c.id = e.card_id
          left join production_batches b on b.id = c.batch_id
         where e.programme_id in (${sql.join(q.programmeIds.map((id) => sql`${id}::uuid`), sql`, `)})
           and ${range(q.from, q.to)}
           and ((e.to_status in ('RECEIVED', 'WASTED') and c.producer_org_id = ${q.producerOrgId}::uuid)
                or (e.type = 'ISSUE_PREFABRICATED' and c.mode = 'INSTANT'))
         order by e.seq`,
  );
  return rows.map((r) => ({
    eventSeq: Number(r.seq),
    cardId: r.card_id,
    cardNo: r.card_no,
    batchNo: r.batch_no,
    receiverOrgId: r.receiver_org_id,
    outcome: r.to_status === 'WASTED' ? 'WASTED' : 'ACCEPTED',
    wasteCause: r.to_status === 'WASTED' ? r.waste_cause : null,
    prefabricated: r.mode === 'INSTANT',
    on: shanghaiDate(new Date(r.at)),
  }));
}

/**
 * Batches of the programmes made by the producer whose last card reached its receiver after the
 * batch's delivery deadline, dated on that last receipt, with the days late counted like the SLA
 * report (production/rules daysLate). A batch with cards still on their way is not finished and waits.
 */
export async function lateDeliveredBatches(ctx: AppContext, db: Queryable, q: { programmeIds: readonly string[]; producerOrgId: string; from: string; to: string }): Promise<SettledLateBatch[]> {
  if (q.programmeIds.length === 0) return [];
  const rows = await ctx.db.rows<{ id: string; batch_no: string; delivery_due_at: Date | string; last_received: Date | string }>(
    db,
    sql`select b.id, b.batch_no, b.delivery_due_at, max(c.received_at) as last_received
          from production_batches b
          join card_attempts c on c.batch_id = b.id
         where b.programme_id in (${sql.join(q.programmeIds.map((id) => sql`${id}::uuid`), sql`, `)})
           and b.producer_org_id = ${q.producerOrgId}::uuid
           and b.delivery_due_at is not null
         group by b.id
        having not bool_or(c.status in ('ORDERED', 'PRODUCED', 'SHIPPED'))
           and max(c.received_at) > b.delivery_due_at
           and max(c.received_at) >= ${shanghaiInstant(q.from, 0).toISOString()}::timestamptz
           and max(c.received_at) < ${shanghaiInstant(addDaysToDate(q.to, 1), 0).toISOString()}::timestamptz
         order by b.batch_no`,
  );
  return rows.map((r) => {
    const due = new Date(r.delivery_due_at);
    const delivered = new Date(r.last_received);
    return { batchId: r.id, batchNo: r.batch_no, deliveryDueAt: due, deliveredAt: delivered, daysLate: daysLate(due, delivered), on: shanghaiDate(delivered) };
  });
}
