import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { can, type Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { shanghaiDate } from '../calendar/zone.ts';
import { settlementContracts } from '../settlement/schema.ts';
import { smsFaultReports, smsUsageLists } from './provider-duties-schema.ts';
import {
  assessedRate,
  checkFaultTimes,
  faultOvertime,
  handOverDate,
  requireMonth,
  SEED_003_FAULT_LIMITS,
  usageListDaysLate,
  usageListDueOn,
} from './provider-duties-rules.ts';
import { smsMessages } from './schema.ts';
import { createdInShanghaiDays, statementColumns } from './statements-columns.ts';
import { monthlyStatement } from './statements-rules.ts';

/**
 * Records of the SMS provider's duties. A provider name (as the outbox stores it) belongs to the
 * supplier of the SMS settlement contract that bills its traffic; that organisation's users act for
 * it and see only its records, while the authority's SMS managers report faults, record paper
 * hand-overs, correct them and assess deductions.
 */

const isProvider = (p: Principal) => p.orgKind === 'SMS_PROVIDER';

/** The provider names the caller may see, each with the organisation acting for it. */
export async function dutyProviders(ctx: AppContext, principal: Principal): Promise<{ provider: string; providerOrgId: string }[]> {
  const rows = await ctx.db.orm
    .select({ source: settlementContracts.source, supplierOrgId: settlementContracts.supplierOrgId })
    .from(settlementContracts)
    .where(and(eq(settlementContracts.serviceKind, 'SMS'), isProvider(principal) ? eq(settlementContracts.supplierOrgId, principal.orgId) : undefined))
    .orderBy(asc(settlementContracts.createdAt));
  const out = new Map<string, string>();
  for (const r of rows) for (const name of r.source.smsProviders ?? []) if (!out.has(name)) out.set(name, r.supplierOrgId);
  return [...out].map(([provider, providerOrgId]) => ({ provider, providerOrgId })).sort((a, b) => a.provider.localeCompare(b.provider));
}

async function providerOrgOf(ctx: AppContext, principal: Principal, provider: string): Promise<string> {
  const [row] = await ctx.db.orm
    .select({ supplierOrgId: settlementContracts.supplierOrgId })
    .from(settlementContracts)
    .where(and(eq(settlementContracts.serviceKind, 'SMS'), sql`${settlementContracts.source} -> 'smsProviders' @> jsonb_build_array(${provider}::text)`))
    .orderBy(asc(settlementContracts.createdAt))
    .limit(1);
  if (!row) throw new AppError('SMS_DUTY_PROVIDER_UNKNOWN', { params: { provider } });
  checkActsFor(principal, row.supplierOrgId, provider);
  return row.supplierOrgId;
}

/** A provider's user acts for its own provider only; on the authority's side it takes an SMS manager. */
function checkActsFor(principal: Principal, providerOrgId: string, provider: string): void {
  if (isProvider(principal)) {
    if (providerOrgId !== principal.orgId) throw new AppError('SMS_DUTY_OTHER_PROVIDER', { params: { provider } });
    return;
  }
  if (!can(principal, 'sms.manage')) throw new AppError('FORBIDDEN');
}

/** The statement totals of a provider's month, frozen with the hand-over so later changes show. */
async function monthTotals(db: Queryable, provider: string, month: string): Promise<{ messages: number; billedSegments: number; amountFen: number }> {
  const { first, last } = requireMonth(month);
  const rows = await db
    .select(statementColumns)
    .from(smsMessages)
    .where(and(eq(smsMessages.provider, provider), createdInShanghaiDays(first, last)));
  const { totals } = monthlyStatement(month, { from: first, to: last }, rows);
  return { messages: totals.messages, billedSegments: totals.billedSegments, amountFen: totals.costFen };
}

type UsageListRow = typeof smsUsageLists.$inferSelect;

export interface UsageListMonth {
  provider: string;
  month: string;
  dueOn: string;
  /** Null while the list is still missing; days late then count up to today. */
  handOver: (ReturnType<typeof handOverView> & { current: { messages: number; billedSegments: number; amountFen: number } }) | null;
  daysLate: number;
}

function isUniqueViolation(err: unknown, index: string): boolean {
  const e = err as { message?: string; cause?: { message?: string; constraint?: string } };
  return [e.message, e.cause?.message, e.cause?.constraint].some((m) => typeof m === 'string' && m.includes(index));
}

/** The provider hands over the list of `month`, or an authority user records that it arrived on `handedOverOn`. */
export async function recordUsageList(
  ctx: AppContext,
  principal: Principal,
  input: { provider: string; month: string; handedOverOn?: string; authorityCaused?: boolean },
  now = new Date(),
): Promise<UsageListRow> {
  const providerOrgId = await providerOrgOf(ctx, principal, input.provider);
  // The date and the "delay caused by us" mark are the authority's word; the provider's hand-over is dated now.
  if (isProvider(principal) && (input.handedOverOn !== undefined || input.authorityCaused !== undefined)) throw new AppError('FORBIDDEN');
  const handedOverOn = handOverDate(input.month, now, input.handedOverOn);
  const totals = await monthTotals(ctx.db.orm, input.provider, input.month);
  try {
    const [row] = await ctx.db.orm
      .insert(smsUsageLists)
      .values({
        provider: input.provider,
        providerOrgId,
        month: input.month,
        handedOverOn,
        submittedAt: now,
        submittedBy: principal.id,
        submittedByName: principal.name,
        submittedByOrgKind: principal.orgKind,
        authorityCaused: input.authorityCaused ?? false,
        ...totals,
      })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, 'sms_usage_lists_provider_month_key')) throw new AppError('SMS_USAGE_LIST_EXISTS', { params: { provider: input.provider, month: input.month } });
    throw err;
  }
}

/** The authority's correction: a new hand-over date or lateness mark, with the totals taken again now. */
export async function replaceUsageList(ctx: AppContext, principal: Principal, id: string, input: { handedOverOn: string; authorityCaused: boolean }, now = new Date()): Promise<UsageListRow> {
  const [old] = await ctx.db.orm.select().from(smsUsageLists).where(eq(smsUsageLists.id, id));
  if (!old) throw new AppError('SMS_USAGE_LIST_NOT_FOUND');
  const handedOverOn = handOverDate(old.month, now, input.handedOverOn);
  const totals = await monthTotals(ctx.db.orm, old.provider, old.month);
  const [row] = await ctx.db.orm
    .update(smsUsageLists)
    .set({ handedOverOn, authorityCaused: input.authorityCaused, ...totals, replacedAt: now, replacedByName: principal.name })
    .where(eq(smsUsageLists.id, id))
    .returning();
  return row!;
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y = 0, m = 1] = from.split('-').map(Number);
  for (let key = from; key <= to; key = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(key);
    m += 1;
    if (m === 13) [y, m] = [y + 1, 1];
  }
  return out;
}

/** Every ended month from `from` to `to` (YYYY-MM) of the providers the caller sees: handed over or still missing. */
export async function listUsageLists(ctx: AppContext, principal: Principal, q: { provider?: string; from: string; to: string }, now = new Date()): Promise<UsageListMonth[]> {
  requireMonth(q.from);
  requireMonth(q.to);
  const today = shanghaiDate(now);
  const providers = (await dutyProviders(ctx, principal)).map((p) => p.provider).filter((p) => q.provider === undefined || p === q.provider);
  if (providers.length === 0) return [];
  const rows = await ctx.db.orm
    .select()
    .from(smsUsageLists)
    .where(and(inArray(smsUsageLists.provider, providers), gte(smsUsageLists.month, q.from), lte(smsUsageLists.month, q.to)));
  const byKey = new Map(rows.map((r) => [`${r.provider}\u0000${r.month}`, r]));
  const newestFirst = monthsBetween(q.from, q.to)
    .filter((m) => requireMonth(m).last < today)
    .reverse();
  const out: UsageListMonth[] = [];
  for (const provider of providers) {
    for (const month of newestFirst) {
      const row = byKey.get(`${provider}\u0000${month}`);
      const handOver = row ? { ...handOverView(row), current: await monthTotals(ctx.db.orm, provider, month) } : null;
      out.push({ provider, month, dueOn: usageListDueOn(month), handOver, daysLate: usageListDaysLate(month, row?.handedOverOn ?? today) });
    }
  }
  return out;
}

/** A hand-over as the API shows it: no internal ids, instants as ISO strings. */
export function handOverView(row: UsageListRow) {
  const { providerOrgId: _org, submittedBy: _by, ...rest } = row;
  return { ...rest, submittedAt: row.submittedAt.toISOString(), replacedAt: row.replacedAt?.toISOString() ?? null };
}

type FaultRow = typeof smsFaultReports.$inferSelect;

export function faultView(row: FaultRow, now: Date) {
  const { providerOrgId: _org, ...rest } = row;
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  return {
    ...rest,
    reportedAt: row.reportedAt.toISOString(),
    arrivedAt: iso(row.arrivedAt),
    clearedAt: iso(row.clearedAt),
    createdAt: row.createdAt.toISOString(),
    ...faultOvertime(row, row, now),
    done: row.clearedAt !== null,
  };
}
export type FaultView = ReturnType<typeof faultView>;

async function nextFaultNo(db: Queryable, reportedAt: Date): Promise<string> {
  const day = shanghaiDate(reportedAt).replaceAll('-', '');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(smsFaultReports).where(sql`${smsFaultReports.faultNo} like ${`SMSF-${day}-%`}`);
  return `SMSF-${day}-${String((row?.n ?? 0) + 1).padStart(3, '0')}`;
}

/** The authority reports a fault; the limits in force are stored with it. */
export async function reportFault(ctx: AppContext, principal: Principal, input: { provider: string; reportedAt: Date; summary: string; details?: string }, now = new Date()): Promise<FaultView> {
  if (isProvider(principal)) throw new AppError('FORBIDDEN');
  const providerOrgId = await providerOrgOf(ctx, principal, input.provider);
  checkFaultTimes({ reportedAt: input.reportedAt, arrivedAt: null, clearedAt: null }, now);
  const row = await ctx.db.orm.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('sms_fault_reports_no'))`);
    const [inserted] = await tx
      .insert(smsFaultReports)
      .values({
        faultNo: await nextFaultNo(tx, input.reportedAt),
        provider: input.provider,
        providerOrgId,
        reportedAt: input.reportedAt,
        reportedByName: principal.name,
        summary: input.summary,
        details: input.details ?? null,
        ...SEED_003_FAULT_LIMITS,
      })
      .returning();
    return inserted!;
  });
  return faultView(row, now);
}

async function visibleFault(ctx: AppContext, principal: Principal, id: string): Promise<FaultRow> {
  const [row] = await ctx.db.orm.select().from(smsFaultReports).where(eq(smsFaultReports.id, id));
  if (!row || (isProvider(principal) && row.providerOrgId !== principal.orgId)) throw new AppError('SMS_FAULT_NOT_FOUND');
  return row;
}

/** The provider (or the authority on its word) records arrival and clearing; a time once recorded may be corrected. */
export async function recordFaultProgress(ctx: AppContext, principal: Principal, id: string, input: { arrivedAt?: Date; clearedAt?: Date }, now = new Date()): Promise<FaultView> {
  const [found] = await ctx.db.orm.select().from(smsFaultReports).where(eq(smsFaultReports.id, id));
  if (!found) throw new AppError('SMS_FAULT_NOT_FOUND');
  checkActsFor(principal, found.providerOrgId, found.provider);
  const times = { reportedAt: found.reportedAt, arrivedAt: input.arrivedAt ?? found.arrivedAt, clearedAt: input.clearedAt ?? found.clearedAt };
  checkFaultTimes(times, now);
  const [row] = await ctx.db.orm
    .update(smsFaultReports)
    .set({ arrivedAt: times.arrivedAt, clearedAt: times.clearedAt, progressByName: principal.name })
    .where(eq(smsFaultReports.id, id))
    .returning();
  return faultView(row!, now);
}

/** The authority's pick of the deduction rate for a fault handled over time. */
export async function assessFault(ctx: AppContext, principal: Principal, id: string, ratePercent: string, now = new Date()): Promise<FaultView> {
  if (isProvider(principal)) throw new AppError('FORBIDDEN');
  const found = await visibleFault(ctx, principal, id);
  assessedRate(ratePercent);
  if (!faultOvertime(found, found, now).overTime) throw new AppError('SMS_FAULT_NOT_OVERTIME', { params: { faultNo: found.faultNo } });
  const [row] = await ctx.db.orm.update(smsFaultReports).set({ assessedPercent: ratePercent, assessedByName: principal.name }).where(eq(smsFaultReports.id, id)).returning();
  return faultView(row!, now);
}

/** Faults reported in the Shanghai days `from`..`to`, newest first. */
export async function listFaults(ctx: AppContext, principal: Principal, q: { provider?: string; from: Date; to: Date }, now = new Date()): Promise<FaultView[]> {
  const rows = await ctx.db.orm
    .select()
    .from(smsFaultReports)
    .where(
      and(
        gte(smsFaultReports.reportedAt, q.from),
        lte(smsFaultReports.reportedAt, q.to),
        q.provider === undefined ? undefined : eq(smsFaultReports.provider, q.provider),
        isProvider(principal) ? eq(smsFaultReports.providerOrgId, principal.orgId) : undefined,
      ),
    )
    .orderBy(desc(smsFaultReports.reportedAt))
    .limit(500);
  return rows.map((r) => faultView(r, now));
}

export async function getFault(ctx: AppContext, principal: Principal, id: string, now = new Date()): Promise<FaultView> {
  return faultView(await visibleFault(ctx, principal, id), now);
}
