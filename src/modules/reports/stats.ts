/*
 * Reporting reads the tables of other modules (applications, cards, production, organisations)
 * directly and read-only. That breaks the rule that a module's tables are its own, on purpose: the
 * counts must be single aggregate SQL statements over up to 100,000 cards, which no row-by-row service
 * API could give. Nothing here writes to those tables.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { AppContext } from '../../platform/context.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { addDaysToDate } from '../calendar/zone.ts';
import { applicationScope, cardScope, periodOf, programmeFilter, programmeVisible, type Period } from './scope.ts';

/** Seed 004: wrong and bad social security cards (producer-caused waste) must stay at or below 0.1%. */
export const SSC_PRODUCER_WASTE_LIMIT = 0.001;

export interface ProgrammeRef {
  id: string;
  name: string;
  kind: string;
}

/** A programme the principal may report on; anything else answers like a missing one. */
export async function requireProgramme(ctx: AppContext, principal: Principal, programmeId: string): Promise<ProgrammeRef> {
  const rows = await ctx.db.rows<{ id: string; name: string; kind: string }>(
    null,
    sql`select p.id, p.name, p.kind from programmes p where p.id = ${programmeId}::uuid and ${programmeVisible(principal)}`,
  );
  if (!rows[0]) throw new AppError('OUT_OF_SCOPE', { details: { programmeId } });
  return rows[0];
}

export interface ReportQuery {
  programmeId?: string;
  from?: string;
  to?: string;
}

export interface Summary {
  period: { from: string; to: string };
  applicationsByStatus: { status: string; count: number }[];
  cardsByStatus: { status: string; count: number }[];
  perOutlet: { orgId: string; orgName: string; submitted: number; received: number; issued: number; awaitingPickup: number }[];
  perProducer: { orgId: string; orgName: string; ordered: number; produced: number; wastedAuthority: number; wastedProducer: number }[];
  perDay: { date: string; submitted: number; produced: number; received: number; issued: number }[];
  waste: {
    programmeId: string;
    programmeName: string;
    cardKind: string;
    produced: number;
    wastedAuthority: number;
    wastedProducer: number;
    producerRate: number;
    limit: number | null;
    exceeded: boolean;
  }[];
  sla: { producedTotal: number; producedOnTime: number; productionOnTimeRate: number | null; deliveredTotal: number; deliveredOnTime: number; deliveryOnTimeRate: number | null };
}

const n = (v: unknown): number => Number(v ?? 0);
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const inPeriod = (col: string, p: Period) => sql`${sql.raw(col)} >= ${ts(p.start)} and ${sql.raw(col)} < ${ts(p.end)}`;

/** Counts per stage, outlet, producer and day; waste by cause; SLA compliance. Each table is one aggregate query. */
export async function reportSummary(ctx: AppContext, principal: Principal, q: ReportQuery, now = new Date()): Promise<Summary> {
  if (q.programmeId) await requireProgramme(ctx, principal, q.programmeId);
  const period = periodOf(q.from, q.to, now);
  const apps = sql`applications a join organisations o on o.id = a.outlet_org_id`;
  const appWhere = sql`${programmeFilter('a', q.programmeId)} and ${applicationScope(principal)}`;
  const cards = sql`card_attempts c join programmes p on p.id = c.programme_id`;
  const cardWhere = sql`${programmeFilter('c', q.programmeId)} and ${cardScope(principal)}`;
  const events = sql`card_events e join card_attempts c on c.id = e.card_id join programmes p on p.id = e.programme_id`;
  const eventWhere = sql`${inPeriod('e.at', period)} and ${programmeFilter('e', q.programmeId)} and ${cardScope(principal)}`;
  const day = sql`to_char(timezone('Asia/Shanghai', e.at), 'YYYY-MM-DD')`;

  const [appStatus, cardStatus, outletApps, outletCards, producers, dayEvents, dayApps, waste, sla] = await Promise.all([
    ctx.db.rows<{ status: string; count: unknown }>(null, sql`select a.status, count(*) as count from ${apps} where ${appWhere} group by a.status order by a.status`),
    ctx.db.rows<{ status: string; count: unknown }>(null, sql`select c.status, count(*) as count from ${cards} where ${cardWhere} group by c.status order by c.status`),
    ctx.db.rows<{ org_id: string; org_name: string; submitted: unknown }>(
      null,
      sql`select a.outlet_org_id as org_id, o.name as org_name, count(*) as submitted from ${apps}
           where ${appWhere} and ${inPeriod('a.created_at', period)} group by a.outlet_org_id, o.name`,
    ),
    ctx.db.rows<{ org_id: string; org_name: string; received: unknown; issued: unknown; awaiting: unknown }>(
      null,
      sql`select c.receiver_org_id as org_id, r.name as org_name,
                 count(*) filter (where ${inPeriod('c.received_at', period)}) as received,
                 count(*) filter (where ${inPeriod('c.issued_at', period)}) as issued,
                 count(*) filter (where c.status = 'RECEIVED') as awaiting
            from ${cards} join organisations r on r.id = c.receiver_org_id
           where ${cardWhere} group by c.receiver_org_id, r.name`,
    ),
    ctx.db.rows<{ org_id: string; org_name: string; ordered: unknown }>(
      null,
      sql`select c.producer_org_id as org_id, r.name as org_name, count(*) filter (where c.status = 'ORDERED') as ordered
            from ${cards} join organisations r on r.id = c.producer_org_id
           where ${cardWhere} group by c.producer_org_id, r.name`,
    ),
    ctx.db.rows<{ day: string; produced: unknown; received: unknown; issued: unknown }>(
      null,
      sql`select ${day} as day,
                 count(*) filter (where e.type = 'PRODUCE') as produced,
                 count(*) filter (where e.type = 'RECEIVE') as received,
                 count(*) filter (where e.type = 'ISSUE') as issued
            from ${events} where ${eventWhere} and e.type in ('PRODUCE','RECEIVE','ISSUE') group by 1`,
    ),
    ctx.db.rows<{ day: string; submitted: unknown }>(
      null,
      sql`select to_char(timezone('Asia/Shanghai', a.created_at), 'YYYY-MM-DD') as day, count(*) as submitted
            from ${apps} where ${appWhere} and ${inPeriod('a.created_at', period)} group by 1`,
    ),
    // A card is wasted once and keeps its cause, so the cause is read from the card.
    ctx.db.rows<{ programme_id: string; programme_name: string; kind: string; org_id: string; org_name: string; produced: unknown; wasted_authority: unknown; wasted_producer: unknown }>(
      null,
      sql`select p.id as programme_id, p.name as programme_name, p.kind, c.producer_org_id as org_id, r.name as org_name,
                 count(*) filter (where e.type = 'PRODUCE') as produced,
                 count(*) filter (where e.type = 'WASTE' and c.waste_cause = 'AUTHORITY_DATA') as wasted_authority,
                 count(*) filter (where e.type = 'WASTE' and c.waste_cause = 'PRODUCER') as wasted_producer
            from ${events} join organisations r on r.id = c.producer_org_id
           where ${eventWhere} and e.type in ('PRODUCE','WASTE')
           group by p.id, p.name, p.kind, c.producer_org_id, r.name`,
    ),
    ctx.db.rows<{ produced_total: unknown; produced_on_time: unknown; delivered_total: unknown; delivered_on_time: unknown }>(
      null,
      sql`select count(*) filter (where ${inPeriod('c.produced_at', period)} and c.production_due_at is not null) as produced_total,
                 count(*) filter (where ${inPeriod('c.produced_at', period)} and c.produced_at <= c.production_due_at) as produced_on_time,
                 count(*) filter (where ${inPeriod('c.received_at', period)} and c.delivery_due_at is not null) as delivered_total,
                 count(*) filter (where ${inPeriod('c.received_at', period)} and c.received_at <= c.delivery_due_at) as delivered_on_time
            from ${cards} where ${cardWhere}`,
    ),
  ]);

  const outlets = new Map<string, Summary['perOutlet'][number]>();
  const outlet = (id: string, name: string) => {
    let row = outlets.get(id);
    if (!row) outlets.set(id, (row = { orgId: id, orgName: name, submitted: 0, received: 0, issued: 0, awaitingPickup: 0 }));
    return row;
  };
  for (const r of outletApps) outlet(r.org_id, r.org_name).submitted = n(r.submitted);
  for (const r of outletCards) Object.assign(outlet(r.org_id, r.org_name), { received: n(r.received), issued: n(r.issued), awaitingPickup: n(r.awaiting) });

  const days = new Map<string, Summary['perDay'][number]>();
  for (let d = period.from; d <= period.to; d = addDaysToDate(d, 1)) days.set(d, { date: d, submitted: 0, produced: 0, received: 0, issued: 0 });
  for (const r of dayEvents) Object.assign(days.get(r.day) ?? {}, { produced: n(r.produced), received: n(r.received), issued: n(r.issued) });
  for (const r of dayApps) Object.assign(days.get(r.day) ?? {}, { submitted: n(r.submitted) });

  const producerRows = new Map<string, Summary['perProducer'][number]>();
  const producer = (id: string, name: string) => {
    let row = producerRows.get(id);
    if (!row) producerRows.set(id, (row = { orgId: id, orgName: name, ordered: 0, produced: 0, wastedAuthority: 0, wastedProducer: 0 }));
    return row;
  };
  for (const r of producers) producer(r.org_id, r.org_name).ordered = n(r.ordered);
  const programmes = new Map<string, { programmeId: string; programmeName: string; cardKind: string; produced: number; wastedAuthority: number; wastedProducer: number }>();
  for (const r of waste) {
    const row = producer(r.org_id, r.org_name);
    row.produced += n(r.produced);
    row.wastedAuthority += n(r.wasted_authority);
    row.wastedProducer += n(r.wasted_producer);
    let prog = programmes.get(r.programme_id);
    if (!prog) programmes.set(r.programme_id, (prog = { programmeId: r.programme_id, programmeName: r.programme_name, cardKind: r.kind, produced: 0, wastedAuthority: 0, wastedProducer: 0 }));
    prog.produced += n(r.produced);
    prog.wastedAuthority += n(r.wasted_authority);
    prog.wastedProducer += n(r.wasted_producer);
  }

  const s = sla[0] ?? { produced_total: 0, produced_on_time: 0, delivered_total: 0, delivered_on_time: 0 };
  const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);
  return {
    period: { from: period.from, to: period.to },
    applicationsByStatus: appStatus.map((r) => ({ status: r.status, count: n(r.count) })),
    cardsByStatus: cardStatus.map((r) => ({ status: r.status, count: n(r.count) })),
    perOutlet: [...outlets.values()].sort((a, b) => a.orgName.localeCompare(b.orgName, 'zh-CN')),
    perProducer: [...producerRows.values()].sort((a, b) => a.orgName.localeCompare(b.orgName, 'zh-CN')),
    perDay: [...days.values()],
    waste: [...programmes.values()].map((r) => {
      // The rate is over every card the producer finished in the period, made or wasted.
      const finished = r.produced + r.wastedAuthority + r.wastedProducer;
      const producerRate = finished === 0 ? 0 : r.wastedProducer / finished;
      const limit = r.cardKind === 'SOCIAL_SECURITY_CARD' ? SSC_PRODUCER_WASTE_LIMIT : null;
      return { ...r, producerRate, limit, exceeded: limit !== null && producerRate > limit };
    }),
    sla: {
      producedTotal: n(s.produced_total),
      producedOnTime: n(s.produced_on_time),
      productionOnTimeRate: rate(n(s.produced_on_time), n(s.produced_total)),
      deliveredTotal: n(s.delivered_total),
      deliveredOnTime: n(s.delivered_on_time),
      deliveryOnTimeRate: rate(n(s.delivered_on_time), n(s.delivered_total)),
    },
  };
}

/** One sheet per table of the summary, with Chinese column titles. */
export async function summaryXlsx(summary: Summary): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cardflow';
  const sheet = (name: string, header: string[], rows: (string | number | null)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.columns.forEach((c) => (c.width = 16));
  };
  const pct = (v: number | null) => (v === null ? null : Math.round(v * 100_000) / 1000);
  sheet('统计区间', ['开始日期', '结束日期'], [[summary.period.from, summary.period.to]]);
  sheet('申请状态', ['状态', '数量'], summary.applicationsByStatus.map((r) => [r.status, r.count]));
  sheet('卡片状态', ['状态', '数量'], summary.cardsByStatus.map((r) => [r.status, r.count]));
  sheet('受理网点', ['网点', '受理', '接收', '发放', '待领取'], summary.perOutlet.map((r) => [r.orgName, r.submitted, r.received, r.issued, r.awaitingPickup]));
  sheet('制卡单位', ['制卡单位', '待制卡', '已制卡', '废卡（数据原因）', '废卡（制卡原因）'], summary.perProducer.map((r) => [r.orgName, r.ordered, r.produced, r.wastedAuthority, r.wastedProducer]));
  sheet('每日', ['日期', '受理', '制卡', '接收', '发放'], summary.perDay.map((r) => [r.date, r.submitted, r.produced, r.received, r.issued]));
  sheet(
    '废卡率',
    ['项目', '证件类型', '已制卡', '废卡（数据原因）', '废卡（制卡原因）', '制卡原因废卡率 %', '上限 %', '是否超标'],
    summary.waste.map((r) => [r.programmeName, r.cardKind, r.produced, r.wastedAuthority, r.wastedProducer, pct(r.producerRate), pct(r.limit), r.exceeded ? '超标' : '']),
  );
  sheet(
    '时限达标',
    ['制卡数', '按时制卡数', '按时制卡率 %', '送达数', '按时送达数', '按时送达率 %'],
    [[summary.sla.producedTotal, summary.sla.producedOnTime, pct(summary.sla.productionOnTimeRate), summary.sla.deliveredTotal, summary.sla.deliveredOnTime, pct(summary.sla.deliveryOnTimeRate)]],
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
