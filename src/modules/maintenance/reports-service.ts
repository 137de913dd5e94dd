import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/service.ts';
import { can, type Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable, Tx } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import type { WorkingCalendar } from '../calendar/rules.ts';
import { loadWorkingCalendar } from '../calendar/service.ts';
import { addDaysToDate, formatShanghai, isValidDate, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { findOrg, orgsByIds, userNamesByIds } from '../orgs/service.ts';
import { principalFor } from '../../platform/auth/service.ts';
import {
  dueDate,
  dueInstant,
  endedPeriods,
  isLate,
  lateReportClock,
  nextReportStatus,
  periodStartingOn,
  REPORT_KINDS,
  reportContent,
  type Period,
  type ReportContent,
  type ReportKind,
  type ReportStatus,
  type ReportTicketRow,
  type SpareShortfall,
} from './reports-rules.ts';
import { maintenanceReports, maintenanceReportSettings } from './reports-schema.ts';
import { maintenanceAssets, maintenanceBreaches, maintenanceContracts, maintenanceSites, maintenanceTicketEvents, maintenanceTickets } from './schema.ts';
import { contractVisible, visibleContract } from './scope.ts';
import { ticketClocks } from './sla.ts';
import { spareShortfalls } from './spares-service.ts';
import { reportAttendance } from './staff-service.ts';
import { ticketSla } from './tickets.ts';
import { maintenanceVisits } from './visits-schema.ts';

/**
 * Weekly, monthly and annual reports (issue 5 item 7): generated from the module's rows, submitted by
 * the maintainer, accepted or returned by the authority, and LATE_REPORT breaches for reports submitted
 * after their due date or not at all.
 */

type ContractRow = typeof maintenanceContracts.$inferSelect;
type ReportRow = typeof maintenanceReports.$inferSelect;
type SettingsRow = typeof maintenanceReportSettings.$inferSelect;

const DEFAULT_ROLL = true;

function isMaintainer(principal: Principal, contract: ContractRow): boolean {
  return principal.orgId === contract.maintainerOrgId && can(principal, 'ticket.work');
}

/** The authority's side: a manager of an organisation that sees the contract and does not hold it. */
function isReviewer(principal: Principal, contract: ContractRow): boolean {
  return principal.orgId !== contract.maintainerOrgId && can(principal, 'maintenance.manage');
}

async function settingsOf(ctx: AppContext, contractId: string, q: Queryable = ctx.db.orm): Promise<SettingsRow | null> {
  const [row] = await q.select().from(maintenanceReportSettings).where(eq(maintenanceReportSettings.contractId, contractId));
  return row ?? null;
}

function settingsOut(contractId: string, s: SettingsRow | null) {
  return { contractId, kinds: s?.kinds ?? [], rollDueDates: s?.rollDueDates ?? DEFAULT_ROLL, requiredFrom: s?.requiredFrom ?? null };
}

export async function reportSettings(ctx: AppContext, principal: Principal, contractId: string) {
  const contract = await visibleContract(ctx, principal, contractId);
  return settingsOut(contract.id, await settingsOf(ctx, contract.id));
}

export interface ReportSettingsInput {
  kinds: ReportKind[];
  rollDueDates: boolean;
  /** Periods starting before this day are not owed; defaults to the term start. */
  requiredFrom?: string | null;
}

/** The authority sets which reports the contract requires and whether due dates on rest days roll to the next working day. */
export async function setReportSettings(ctx: AppContext, principal: Principal, contractId: string, input: ReportSettingsInput) {
  const contract = await visibleContract(ctx, principal, contractId);
  if (!isReviewer(principal, contract)) throw new AppError('FORBIDDEN');
  const requiredFrom = input.requiredFrom ?? contract.termStart;
  if (!isValidDate(requiredFrom)) throw new AppError('MAINTENANCE_REPORT_SETTINGS_INVALID', { params: { reason: 'requiredFrom must be a YYYY-MM-DD date' } });
  const kinds = REPORT_KINDS.filter((k) => input.kinds.includes(k));
  const values = { kinds, rollDueDates: input.rollDueDates, requiredFrom, updatedAt: new Date() };
  await ctx.db.orm
    .insert(maintenanceReportSettings)
    .values({ contractId: contract.id, ...values })
    .onConflictDoUpdate({ target: maintenanceReportSettings.contractId, set: values });
  return settingsOut(contract.id, await settingsOf(ctx, contract.id));
}

// ---- the numbers ----

/** Sites of the contract that are outlets: sites of a core system are not visited. */
async function outletCount(ctx: AppContext, contractId: string, q: Queryable): Promise<number> {
  const sites = await q.select({ orgId: maintenanceSites.orgId }).from(maintenanceSites).where(eq(maintenanceSites.contractId, contractId));
  const orgs = await orgsByIds(ctx, sites.map((s) => s.orgId), q);
  return sites.filter((s) => orgs.get(s.orgId)?.kind === 'OUTLET').length;
}

/** Tickets opened in [from, to) with their clocks as of `asOf`, from the events recorded up to then. */
async function ticketRows(q: Queryable, cal: WorkingCalendar, contractId: string, from: Date, to: Date, asOf: Date): Promise<ReportTicketRow[]> {
  const tickets = await q
    .select({ ticket: maintenanceTickets, assetType: maintenanceAssets.type })
    .from(maintenanceTickets)
    .leftJoin(maintenanceAssets, eq(maintenanceAssets.id, maintenanceTickets.assetId))
    .where(and(eq(maintenanceTickets.contractId, contractId), gte(maintenanceTickets.openedAt, from), lt(maintenanceTickets.openedAt, to)));
  const events = await q
    .select({ ticketId: maintenanceTicketEvents.ticketId, status: maintenanceTicketEvents.toStatus, at: maintenanceTicketEvents.at })
    .from(maintenanceTicketEvents)
    .innerJoin(maintenanceTickets, eq(maintenanceTickets.id, maintenanceTicketEvents.ticketId))
    .where(and(eq(maintenanceTickets.contractId, contractId), gte(maintenanceTickets.openedAt, from), lt(maintenanceTickets.openedAt, to), lte(maintenanceTicketEvents.at, asOf)))
    .orderBy(asc(maintenanceTicketEvents.ticketId), asc(maintenanceTicketEvents.seq));
  const history = new Map<string, { status: (typeof events)[number]['status']; at: Date }[]>();
  for (const e of events) {
    const list = history.get(e.ticketId) ?? [];
    list.push({ status: e.status, at: e.at });
    history.set(e.ticketId, list);
  }
  return tickets.map(({ ticket, assetType }) => {
    const list = history.get(ticket.id) ?? [];
    const last = list[list.length - 1]?.status;
    let clocks: ReportTicketRow['clocks'] = null;
    try {
      clocks = list.length > 0 ? ticketClocks(cal, ticketSla(ticket), list, asOf) : null;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
    return { category: ticket.category, assetType, clocks, resolved: last === 'RESOLVED' || last === 'CLOSED' };
  });
}

/** Every month that overlaps the period, as YYYY-MM. */
function monthsOf(period: Period): string[] {
  const out: string[] = [];
  for (let m = period.start.slice(0, 7); m <= period.end.slice(0, 7); m = addDaysToDate(`${m}-28`, 5).slice(0, 7)) out.push(m);
  return out;
}

/** The report's numbers as of the period's end (or now, for a period still running). */
export async function computeReportContent(
  ctx: AppContext,
  cal: WorkingCalendar,
  contract: ContractRow,
  period: Period,
  now: Date,
  spares: readonly SpareShortfall[],
  q: Queryable = ctx.db.orm,
): Promise<ReportContent> {
  const from = shanghaiInstant(period.start, 0);
  const to = dueInstant(period.end);
  const asOf = new Date(Math.min(now.getTime(), to.getTime()));
  const months = monthsOf(period);
  const visits = await q
    .select({ month: maintenanceVisits.month, kind: maintenanceVisits.kind, signedAt: maintenanceVisits.signedAt })
    .from(maintenanceVisits)
    .where(and(eq(maintenanceVisits.contractId, contract.id), inArray(maintenanceVisits.month, months)));
  const breaches = await q
    .select({ kind: maintenanceBreaches.kind })
    .from(maintenanceBreaches)
    // (from, to]: a breach at the stroke of midnight (a month's missed visits) belongs to the period that just ended.
    .where(and(eq(maintenanceBreaches.contractId, contract.id), gt(maintenanceBreaches.occurredAt, from), lte(maintenanceBreaches.occurredAt, to)));
  const [{ n: breachesInTerm } = { n: 0 }] = await q
    .select({ n: count() })
    .from(maintenanceBreaches)
    .where(
      and(
        eq(maintenanceBreaches.contractId, contract.id),
        gte(maintenanceBreaches.occurredAt, shanghaiInstant(contract.termStart, 0)),
        lte(maintenanceBreaches.occurredAt, asOf),
      ),
    );
  const assets = await q
    .select({ status: maintenanceAssets.status, count: count() })
    .from(maintenanceAssets)
    .innerJoin(maintenanceSites, eq(maintenanceSites.orgId, maintenanceAssets.siteOrgId))
    .where(eq(maintenanceSites.contractId, contract.id))
    .groupBy(maintenanceAssets.status);
  return reportContent({
    period,
    asOf,
    outlets: await outletCount(ctx, contract.id, q),
    visits: visits.map((v) => ({ month: v.month, kind: v.kind, signedAt: v.signedAt })),
    tickets: await ticketRows(q, cal, contract.id, from, to, asOf),
    breaches,
    breachesInTerm,
    terminationThreshold: contract.breachTerminationCount,
    assets,
    spareShortfalls: spares,
    staffAttendance: await reportAttendance(q, cal, contract.id, period, asOf),
  });
}

/**
 * Writes the draft of a period (new, or regenerated while it is a draft or returned); a submitted or
 * accepted report is left as it was. Answers the row, or null when the report is past drafting.
 */
async function writeDraft(ctx: AppContext, tx: Tx, cal: WorkingCalendar, draft: { contract: ContractRow; settings: SettingsRow | null; spares: readonly SpareShortfall[] }, kind: ReportKind, period: Period, now: Date): Promise<ReportRow | null> {
  const { contract, settings } = draft;
  const due = dueDate(cal, kind, period, settings?.rollDueDates ?? DEFAULT_ROLL);
  const content = await computeReportContent(ctx, cal, contract, period, now, draft.spares, tx);
  const [row] = await tx
    .insert(maintenanceReports)
    .values({ contractId: contract.id, kind, periodStart: period.start, periodEnd: period.end, dueDate: due, status: 'DRAFT', content, generatedAt: now })
    .onConflictDoUpdate({
      target: [maintenanceReports.contractId, maintenanceReports.kind, maintenanceReports.periodStart],
      set: { status: 'DRAFT', dueDate: due, content, generatedAt: now, submittedAt: null, submittedById: null, reviewedAt: null, reviewedById: null, updatedAt: now },
      setWhere: inArray(maintenanceReports.status, ['DRAFT', 'RETURNED']),
    })
    .returning();
  return row ?? null;
}

export interface GenerateInput {
  contractId: string;
  kind: ReportKind;
  periodStart: string;
}

/**
 * Spare parts below their required level now (the register keeps no history of stock), from the
 * spare-parts service as the principal sees them. Read before a transaction opens: the service reads
 * outside it, and the embedded engine has one connection.
 */
async function spareShortfallsOf(ctx: AppContext, principal: Principal, contractId: string): Promise<SpareShortfall[]> {
  const { items } = await spareShortfalls(ctx, principal, contractId);
  return items.map((i) => ({ type: i.type, required: i.required, inStock: i.stock, shortfall: i.shortfall }));
}

/** Generates (or regenerates) the draft of a period: the maintainer, or the authority's manager, may. */
export async function generateReport(ctx: AppContext, principal: Principal, input: GenerateInput, now = new Date()): Promise<string> {
  const cal = await loadWorkingCalendar(ctx);
  const spares = await spareShortfallsOf(ctx, principal, input.contractId);
  return ctx.db.orm.transaction(async (tx) => {
    const contract = await visibleContract(ctx, principal, input.contractId, tx);
    if (!isMaintainer(principal, contract) && !isReviewer(principal, contract)) throw new AppError('FORBIDDEN');
    const period = periodStartingOn(input.kind, contract, input.periodStart);
    const [existing] = await tx
      .select()
      .from(maintenanceReports)
      .where(and(eq(maintenanceReports.contractId, contract.id), eq(maintenanceReports.kind, input.kind), eq(maintenanceReports.periodStart, period.start)))
      .for('update');
    if (existing) nextReportStatus(existing.status, 'GENERATE');
    const row = await writeDraft(ctx, tx, cal, { contract, settings: await settingsOf(ctx, contract.id, tx), spares }, input.kind, period, now);
    return row!.id;
  });
}

function reportsVisible(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm) {
  return inArray(maintenanceReports.contractId, q.select({ id: maintenanceContracts.id }).from(maintenanceContracts).where(contractVisible(ctx, principal, q)));
}

function reportOut(r: ReportRow, names: { contracts: ReadonlyMap<string, string>; users: ReadonlyMap<string, string> }, now: Date) {
  const due = dueInstant(r.dueDate);
  return {
    id: r.id,
    contractId: r.contractId,
    contractName: names.contracts.get(r.contractId) ?? '',
    kind: r.kind,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    dueDate: r.dueDate,
    status: r.status,
    overdue: r.firstSubmittedAt === null && now.getTime() >= due.getTime(),
    late: r.lateBreachId !== null,
    lateBreachId: r.lateBreachId,
    generatedAt: r.generatedAt.toISOString(),
    submittedAt: r.submittedAt?.toISOString() ?? null,
    submittedAtLocal: r.submittedAt ? formatShanghai(r.submittedAt) : null,
    firstSubmittedAtLocal: r.firstSubmittedAt ? formatShanghai(r.firstSubmittedAt) : null,
    submittedByName: r.submittedById ? (names.users.get(r.submittedById) ?? null) : null,
    reviewedAtLocal: r.reviewedAt ? formatShanghai(r.reviewedAt) : null,
    reviewedByName: r.reviewedById ? (names.users.get(r.reviewedById) ?? null) : null,
    reviewNote: r.reviewNote,
  };
}

async function namesFor(ctx: AppContext, rows: readonly ReportRow[]) {
  const contractIds = [...new Set(rows.map((r) => r.contractId))];
  const contracts = contractIds.length === 0 ? [] : await ctx.db.orm.select({ id: maintenanceContracts.id, name: maintenanceContracts.name }).from(maintenanceContracts).where(inArray(maintenanceContracts.id, contractIds));
  return {
    contracts: new Map(contracts.map((c) => [c.id, c.name])),
    users: await userNamesByIds(ctx, rows.flatMap((r) => [r.submittedById, r.reviewedById])),
  };
}

export interface ReportFilter {
  contractId?: string;
  kind?: ReportKind;
  status?: ReportStatus;
  overdue?: boolean;
  limit?: number;
  offset?: number;
}

/** Reports I may see, newest period first, with whether each is overdue (due date passed, never submitted) or was late. */
export async function listReports(ctx: AppContext, principal: Principal, filter: ReportFilter, now = new Date()) {
  const where = and(
    reportsVisible(ctx, principal),
    filter.contractId ? eq(maintenanceReports.contractId, filter.contractId) : undefined,
    filter.kind ? eq(maintenanceReports.kind, filter.kind) : undefined,
    filter.status ? eq(maintenanceReports.status, filter.status) : undefined,
    filter.overdue ? and(isNull(maintenanceReports.firstSubmittedAt), lt(maintenanceReports.dueDate, shanghaiDate(now))) : undefined,
  );
  const rows = await ctx.db.orm
    .select()
    .from(maintenanceReports)
    .where(where)
    .orderBy(desc(maintenanceReports.periodStart), asc(maintenanceReports.kind))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
  const [{ n } = { n: 0 }] = await ctx.db.orm.select({ n: count() }).from(maintenanceReports).where(where);
  const names = await namesFor(ctx, rows);
  return { items: rows.map((r) => reportOut(r, names, now)), total: n };
}

async function visibleReport(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm, lock = false): Promise<ReportRow> {
  const query = q
    .select()
    .from(maintenanceReports)
    .where(and(eq(maintenanceReports.id, id), reportsVisible(ctx, principal, q)));
  const [r] = lock ? await query.for('update', { of: maintenanceReports }) : await query;
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

/** A report with its numbers and what the principal may do with it. */
export async function getReport(ctx: AppContext, principal: Principal, id: string, now = new Date()) {
  const r = await visibleReport(ctx, principal, id);
  const [contract] = await ctx.db.orm.select().from(maintenanceContracts).where(eq(maintenanceContracts.id, r.contractId));
  const names = await namesFor(ctx, [r]);
  const maintainer = isMaintainer(principal, contract!);
  const reviewer = isReviewer(principal, contract!);
  const open = r.status === 'DRAFT' || r.status === 'RETURNED';
  return {
    ...reportOut(r, names, now),
    termStart: contract!.termStart,
    termEnd: contract!.termEnd,
    content: r.content,
    mayGenerate: open && (maintainer || reviewer),
    maySubmit: open && maintainer,
    mayReview: r.status === 'SUBMITTED' && reviewer && !(principal.type === 'USER' && principal.id === r.submittedById),
  };
}

async function recordLateReport(ctx: AppContext, tx: Tx, r: ReportRow, at: Date, actorName: string, submittedAt: Date | null): Promise<string> {
  const clock = lateReportClock({ start: r.periodStart, end: r.periodEnd }, r.dueDate, at);
  const [breach] = await tx
    .insert(maintenanceBreaches)
    .values({
      contractId: r.contractId,
      ticketId: null,
      kind: 'LATE_REPORT',
      occurredAt: clock.occurredAt,
      detectedAt: at,
      allowedMinutes: clock.allowedMinutes,
      usedMinutes: clock.usedMinutes,
      evidence: { reportId: r.id, kind: r.kind, periodStart: r.periodStart, periodEnd: r.periodEnd, dueDate: r.dueDate, submittedAt: submittedAt?.toISOString() ?? null },
    })
    .returning({ id: maintenanceBreaches.id });
  await tx.update(maintenanceReports).set({ lateBreachId: breach!.id }).where(eq(maintenanceReports.id, r.id));
  await appendAudit(
    ctx,
    {
      actorType: 'SYSTEM',
      actorName,
      orgId: null,
      action: 'maintenance.breach.record',
      targetType: 'maintenance_breach',
      targetId: breach!.id,
      outcome: 'SUCCESS',
      details: { kind: 'LATE_REPORT', reportId: r.id, contractId: r.contractId, dueDate: r.dueDate },
    },
    tx,
  );
  return breach!.id;
}

/**
 * The maintainer submits: the content is frozen as it stands. A first submission after the due date
 * registers the LATE_REPORT breach, unless the sweep already did when the due date passed.
 */
export async function submitReport(ctx: AppContext, principal: Principal, id: string, now = new Date()): Promise<{ late: boolean }> {
  return ctx.db.orm.transaction(async (tx) => {
    const r = await visibleReport(ctx, principal, id, tx, true);
    const [contract] = await tx.select().from(maintenanceContracts).where(eq(maintenanceContracts.id, r.contractId));
    if (!isMaintainer(principal, contract!)) throw new AppError('FORBIDDEN');
    const status = nextReportStatus(r.status, 'SUBMIT');
    const first = r.firstSubmittedAt ?? now;
    await tx
      .update(maintenanceReports)
      .set({ status, submittedAt: now, firstSubmittedAt: first, submittedById: principal.type === 'USER' ? principal.id : null, reviewedAt: null, reviewedById: null, updatedAt: now })
      .where(eq(maintenanceReports.id, r.id));
    const late = isLate(r.dueDate, first);
    if (late && r.lateBreachId === null) await recordLateReport(ctx, tx, r, now, 'report-submission', first);
    return { late };
  });
}

/** The authority accepts the report, or returns it with a note; never the person who submitted it. */
export async function reviewReport(ctx: AppContext, principal: Principal, id: string, decision: 'ACCEPT' | 'RETURN', note: string | null, now = new Date()): Promise<void> {
  await ctx.db.orm.transaction(async (tx) => {
    const r = await visibleReport(ctx, principal, id, tx, true);
    const [contract] = await tx.select().from(maintenanceContracts).where(eq(maintenanceContracts.id, r.contractId));
    if (!isReviewer(principal, contract!)) throw new AppError('FORBIDDEN');
    const status = nextReportStatus(r.status, decision);
    if (principal.type === 'USER' && principal.id === r.submittedById) throw new AppError('MAINTENANCE_REPORT_SELF_REVIEW');
    await tx
      .update(maintenanceReports)
      .set({ status, reviewedAt: now, reviewedById: principal.type === 'USER' ? principal.id : null, reviewNote: note?.trim() || null, updatedAt: now })
      .where(eq(maintenanceReports.id, r.id));
  });
}

/** The sweep drafts a report as the contract's maintainer would see it. */
async function maintainerPrincipal(ctx: AppContext, contract: ContractRow): Promise<Principal> {
  const org = await findOrg(ctx, contract.maintainerOrgId);
  if (!org) throw new AppError('NOT_FOUND');
  return principalFor({ id: SWEEP_ACTOR_ID, username: 'report-sweep', roles: ['MAINTAINER_ENGINEER'] }, org, 'SYSTEM');
}

const SWEEP_ACTOR_ID = '00000000-0000-0000-0000-000000000000';

/** Advisory lock key of the report sweep (breach sweep: 7283520). */
const REPORT_SWEEP_LOCK = 7283521;

/**
 * For every contract that requires reports: a draft for each ended period that has none yet (so that
 * the maintainer finds it ready and a missing report has a row to point at), then a LATE_REPORT breach
 * for each report whose due date has passed without a submission, once. A period whose due date lies in
 * a year without a published calendar is left for later rather than guessed. Sweeps in several
 * processes take turns on an advisory lock. Answers the drafts written and the breaches registered.
 */
export async function sweepLateReports(ctx: AppContext, now = new Date()): Promise<{ drafts: number; breaches: number }> {
  const cal = await loadWorkingCalendar(ctx);
  const today = shanghaiDate(now);
  const required = await ctx.db.orm
    .select({ contract: maintenanceContracts, settings: maintenanceReportSettings })
    .from(maintenanceReportSettings)
    .innerJoin(maintenanceContracts, eq(maintenanceContracts.id, maintenanceReportSettings.contractId));
  // What is missing is found first, outside the transaction, so that only a contract with a draft to
  // write has its spare stock read. A draft another process writes meanwhile is only recomputed.
  const todo: { contract: ContractRow; settings: SettingsRow; spares: SpareShortfall[]; missing: { kind: ReportKind; period: Period }[] }[] = [];
  for (const { contract, settings } of required) {
    const have = await ctx.db.orm.select({ kind: maintenanceReports.kind, periodStart: maintenanceReports.periodStart }).from(maintenanceReports).where(eq(maintenanceReports.contractId, contract.id));
    const known = new Set(have.map((r) => `${r.kind}:${r.periodStart}`));
    const missing = settings.kinds.flatMap((kind) => endedPeriods(kind, contract, settings.requiredFrom, today).filter((p) => !known.has(`${kind}:${p.start}`)).map((period) => ({ kind, period })));
    if (missing.length > 0) todo.push({ contract, settings, missing, spares: await spareShortfallsOf(ctx, await maintainerPrincipal(ctx, contract), contract.id) });
  }
  return ctx.db.orm.transaction(async (tx) => {
    await ctx.db.rows(tx, sql`select pg_advisory_xact_lock(${REPORT_SWEEP_LOCK})`);
    let drafts = 0;
    for (const draft of todo) {
      for (const { kind, period } of draft.missing) {
        try {
          if (await writeDraft(ctx, tx, cal, draft, kind, period, now)) drafts++;
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'CALENDAR_YEAR_UNPUBLISHED') throw error;
        }
      }
    }
    const overdue = await tx
      .select()
      .from(maintenanceReports)
      .where(
        and(
          isNull(maintenanceReports.firstSubmittedAt),
          isNull(maintenanceReports.lateBreachId),
          lt(maintenanceReports.dueDate, today),
          // Only reports the contract requires are owed; one generated by hand for another kind or an earlier period is not.
          sql`exists (select 1 from ${maintenanceReportSettings} s where s.contract_id = ${maintenanceReports.contractId} and ${maintenanceReports.kind} = any(s.kinds) and ${maintenanceReports.periodStart} >= s.required_from)`,
        ),
      )
      .for('update', { skipLocked: true });
    let breaches = 0;
    for (const r of overdue) {
      if (!isLate(r.dueDate, now)) continue;
      await recordLateReport(ctx, tx, r, now, 'report-sweep', null);
      breaches++;
    }
    return { drafts, breaches };
  });
}
