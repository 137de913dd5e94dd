import { sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { daysLate } from '../production/rules.ts';
import { cardScope, periodOf, programmeFilter } from './scope.ts';
import { requireProgramme, type ReportQuery } from './stats.ts';

export interface StandingCounts {
  onTime: number;
  atRisk: number;
  overdue: number;
  doneOnTime: number;
  doneLate: number;
}

export interface SlaRow {
  orgId: string;
  orgName: string;
  orgKind: string;
  production: StandingCounts;
  delivery: StandingCounts;
}

export interface SlaOverview {
  now: string;
  period: { from: string; to: string };
  byProducer: SlaRow[];
  byReceiver: SlaRow[];
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Counts per organisation with the same boundaries as rules.slaStanding: overdue once the deadline has
 * passed, at risk within 24 hours of it, on time otherwise; done on time / late over the period.
 * Production looks at ORDERED cards; delivery at cards not yet received whose attempt has not ended.
 */
async function standings(ctx: AppContext, principal: Principal, side: 'producer' | 'receiver', q: ReportQuery, now: Date, start: Date, end: Date): Promise<SlaRow[]> {
  const group: SQL = side === 'producer' ? sql`c.producer_org_id` : sql`c.receiver_org_id`;
  const soon = new Date(now.getTime() + 86_400_000);
  const open = (status: SQL, due: SQL) => ({
    onTime: sql`count(*) filter (where ${status} and ${due} > ${ts(soon)})`,
    atRisk: sql`count(*) filter (where ${status} and ${due} >= ${ts(now)} and ${due} <= ${ts(soon)})`,
    overdue: sql`count(*) filter (where ${status} and ${due} < ${ts(now)})`,
  });
  const prod = open(sql`c.status = 'ORDERED'`, sql`c.production_due_at`);
  const del = open(sql`c.status in ('ORDERED','PRODUCED','SHIPPED')`, sql`c.delivery_due_at`);
  const doneIn = (col: string) => sql`${sql.raw(col)} >= ${ts(start)} and ${sql.raw(col)} < ${ts(end)}`;
  const rows = await ctx.db.rows<Record<string, unknown> & { org_id: string; org_name: string; org_kind: string }>(
    null,
    sql`select ${group} as org_id, o.name as org_name, o.kind as org_kind,
               ${prod.onTime} as p_on_time, ${prod.atRisk} as p_at_risk, ${prod.overdue} as p_overdue,
               count(*) filter (where ${doneIn('c.produced_at')} and c.produced_at <= c.production_due_at) as p_done_on_time,
               count(*) filter (where ${doneIn('c.produced_at')} and c.produced_at > c.production_due_at) as p_done_late,
               ${del.onTime} as d_on_time, ${del.atRisk} as d_at_risk, ${del.overdue} as d_overdue,
               count(*) filter (where ${doneIn('c.received_at')} and c.received_at <= c.delivery_due_at) as d_done_on_time,
               count(*) filter (where ${doneIn('c.received_at')} and c.received_at > c.delivery_due_at) as d_done_late
          from card_attempts c
          join programmes p on p.id = c.programme_id
          join organisations o on o.id = ${group}
         where c.production_due_at is not null
           and ${programmeFilter('c', q.programmeId)}
           and ${cardScope(principal, side)}
         group by ${group}, o.name, o.kind
         order by o.name`,
  );
  const num = (v: unknown) => Number(v ?? 0);
  return rows.map((r) => ({
    orgId: r.org_id,
    orgName: r.org_name,
    orgKind: r.org_kind,
    production: { onTime: num(r.p_on_time), atRisk: num(r.p_at_risk), overdue: num(r.p_overdue), doneOnTime: num(r.p_done_on_time), doneLate: num(r.p_done_late) },
    delivery: { onTime: num(r.d_on_time), atRisk: num(r.d_at_risk), overdue: num(r.d_overdue), doneOnTime: num(r.d_done_on_time), doneLate: num(r.d_done_late) },
  }));
}

/** What is on time, at risk and overdue per producer and per receiving outlet or bank branch. */
export async function slaOverview(ctx: AppContext, principal: Principal, q: ReportQuery, now = new Date()): Promise<SlaOverview> {
  if (q.programmeId) await requireProgramme(ctx, principal, q.programmeId);
  const period = periodOf(q.from, q.to, now);
  const [byProducer, byReceiver] = await Promise.all([
    standings(ctx, principal, 'producer', q, now, period.start, period.end),
    standings(ctx, principal, 'receiver', q, now, period.start, period.end),
  ]);
  return { now: now.toISOString(), period: { from: period.from, to: period.to }, byProducer, byReceiver };
}

export interface LateBatch {
  batchId: string;
  batchNo: string;
  programmeId: string;
  producerOrgId: string;
  producerName: string;
  status: string;
  cardCount: number;
  dataReleasedAt: string;
  productionDueAt: string;
  /** When the last card was produced, or null while cards are still to be made (then counted up to now). */
  lastProducedAt: string | null;
  productionOpen: boolean;
  productionDaysLate: number;
  deliveryDueAt: string | null;
  lastReceivedAt: string | null;
  deliveryOpen: boolean;
  deliveryDaysLate: number;
}

interface BatchRow extends Record<string, unknown> {
  id: string;
  batch_no: string;
  programme_id: string;
  producer_org_id: string;
  producer_name: string;
  status: string;
  card_count: unknown;
  data_released_at: Date | string;
  production_due_at: Date | string;
  delivery_due_at: Date | string | null;
  completed_at: Date | string | null;
  last_produced: Date | string | null;
  last_received: Date | string | null;
  production_open: boolean;
  delivery_open: boolean;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/**
 * Every batch released in the period that was or is late, with whole days late as settlement counts
 * them (seed 000: 1‰ of the batch's fee per day late). An open step is counted up to now.
 */
export async function lateBatches(ctx: AppContext, principal: Principal, q: ReportQuery, now = new Date()): Promise<{ period: { from: string; to: string }; items: LateBatch[] }> {
  if (q.programmeId) await requireProgramme(ctx, principal, q.programmeId);
  const period = periodOf(q.from, q.to, now);
  const rows = await ctx.db.rows<BatchRow>(
    null,
    sql`select b.id, b.batch_no, b.programme_id, b.producer_org_id, o.name as producer_name, b.status, b.card_count,
               b.data_released_at, b.production_due_at, b.delivery_due_at, b.completed_at,
               max(c.produced_at) as last_produced, max(c.received_at) as last_received,
               bool_or(c.status = 'ORDERED') as production_open,
               bool_or(c.status in ('ORDERED','PRODUCED','SHIPPED')) as delivery_open
          from production_batches b
          join programmes p on p.id = b.programme_id
          join organisations o on o.id = b.producer_org_id
          join card_attempts c on c.batch_id = b.id
         where b.data_released_at >= ${ts(period.start)} and b.data_released_at < ${ts(period.end)}
           and ${programmeFilter('b', q.programmeId)}
           and ${cardScope(principal)}
         group by b.id, o.name
        having (bool_or(c.status = 'ORDERED') and b.production_due_at < ${ts(now)})
            or max(c.produced_at) > b.production_due_at
            or (b.delivery_due_at is not null and ((bool_or(c.status in ('ORDERED','PRODUCED','SHIPPED')) and b.delivery_due_at < ${ts(now)})
                                                  or max(c.received_at) > b.delivery_due_at))
         order by b.production_due_at, b.batch_no
         limit 5000`,
  );
  const items = rows.map((r): LateBatch => {
    const productionDue = new Date(r.production_due_at);
    const productionDone = r.production_open ? now : new Date(r.last_produced ?? r.completed_at ?? now);
    const deliveryDue = r.delivery_due_at === null ? null : new Date(r.delivery_due_at);
    const deliveryDone = r.delivery_open ? now : r.last_received === null ? null : new Date(r.last_received);
    return {
      batchId: r.id,
      batchNo: r.batch_no,
      programmeId: r.programme_id,
      producerOrgId: r.producer_org_id,
      producerName: r.producer_name,
      status: r.status,
      cardCount: Number(r.card_count),
      dataReleasedAt: new Date(r.data_released_at).toISOString(),
      productionDueAt: productionDue.toISOString(),
      lastProducedAt: r.production_open ? null : iso(r.last_produced),
      productionOpen: r.production_open,
      productionDaysLate: daysLate(productionDue, productionDone),
      deliveryDueAt: deliveryDue?.toISOString() ?? null,
      lastReceivedAt: iso(r.last_received),
      deliveryOpen: r.delivery_open,
      deliveryDaysLate: deliveryDue && deliveryDone ? daysLate(deliveryDue, deliveryDone) : 0,
    };
  });
  return { period: { from: period.from, to: period.to }, items };
}
