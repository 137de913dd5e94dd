import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/service.ts';
import { can, type Principal } from '../../platform/auth/principal.ts';
import type { Role } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { decryptBytes, decryptField, encryptBytes, encryptField } from '../../platform/crypto/field-cipher.ts';
import { maskName } from '../../platform/crypto/masking.ts';
import { sm3 } from '../../platform/crypto/sm.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { formatShanghai, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { activeUsersWithRole, orgsByIds, userNamesByIds } from '../orgs/service.ts';
import { contractById } from './contracts.ts';
import { maintenanceBreaches, maintenanceContracts, maintenanceSites, maintenanceTickets } from './schema.ts';
import { contractVisible, siteVisible, visibleContract } from './scope.ts';
import {
  checkAnswers,
  checklistFor,
  checkMonth,
  checkSignature,
  missedVisits,
  monthDays,
  planMonth,
  signatureBytes,
  unansweredItems,
  type VisitAnswer,
  type VisitKind,
  type VisitStatus,
} from './visits-rules.ts';
import { maintenanceVisits } from './visits-schema.ts';

/** Monthly preventive visits and photo visits: planning, the checklist form, sign-off, the month's numbers and missed visits. */

type VisitRow = typeof maintenanceVisits.$inferSelect;
type ContractRow = typeof maintenanceContracts.$inferSelect;

const ENGINEER_ROLE: Role = 'MAINTAINER_ENGINEER';

function visitsVisible(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm) {
  return siteVisible(ctx, principal, maintenanceVisits.siteOrgId, maintenanceVisits.contractId, q);
}

/** The maintainer plans its own work; an authority manager may plan for the contracts it signed. */
function mayPlan(principal: Principal, contract: ContractRow): boolean {
  if (principal.orgId === contract.maintainerOrgId) return can(principal, 'ticket.work');
  return can(principal, 'maintenance.manage');
}

/** The assigned engineer fills in the form, or a colleague of the same maintainer standing in. */
function mayFill(principal: Principal, contract: ContractRow): boolean {
  return principal.orgId === contract.maintainerOrgId && can(principal, 'ticket.work');
}

function checkInTerm(contract: ContractRow, month: string): void {
  const { first, last } = monthDays(month);
  if (last < contract.termStart || first > contract.termEnd) {
    throw new AppError('VISIT_MONTH_OUTSIDE_TERM', { params: { month, termStart: contract.termStart, termEnd: contract.termEnd } });
  }
}

/** The outlets a contract serves (sites of core systems are not visited). */
async function contractOutlets(ctx: AppContext, contractId: string, q: Queryable = ctx.db.orm) {
  const sites = await q.select().from(maintenanceSites).where(eq(maintenanceSites.contractId, contractId));
  const orgs = await orgsByIds(ctx, sites.map((s) => s.orgId), q);
  return sites.filter((s) => orgs.get(s.orgId)?.kind === 'OUTLET');
}

export interface PlanInput {
  contractId: string;
  month: string;
  assignments?: { siteOrgId: string; engineerId: string }[];
}

/** One preventive visit per outlet of the contract for the month; running it again plans only what is missing. */
export async function planVisits(ctx: AppContext, principal: Principal, input: PlanInput): Promise<{ created: number; total: number }> {
  const month = checkMonth(input.month);
  return ctx.db.orm.transaction(async (tx) => {
    const contract = await visibleContract(ctx, principal, input.contractId, tx);
    if (!mayPlan(principal, contract)) throw new AppError('FORBIDDEN');
    checkInTerm(contract, month);
    const outlets = await contractOutlets(ctx, contract.id, tx);
    const engineers = await activeUsersWithRole(ctx, contract.maintainerOrgId, ENGINEER_ROLE, tx);
    const assignments = new Map<string, string>();
    for (const a of input.assignments ?? []) {
      if (!engineers.has(a.engineerId)) throw new AppError('VISIT_ENGINEER_INVALID');
      if (!outlets.some((o) => o.orgId === a.siteOrgId)) throw new AppError('MAINTENANCE_SITE_NOT_REGISTERED');
      assignments.set(a.siteOrgId, a.engineerId);
    }
    const existing = await tx
      .select({ siteOrgId: maintenanceVisits.siteOrgId })
      .from(maintenanceVisits)
      .where(and(eq(maintenanceVisits.contractId, contract.id), eq(maintenanceVisits.month, month), eq(maintenanceVisits.kind, 'PREVENTIVE')));
    const plan = planMonth({ outlets: outlets.map((o) => o.orgId), alreadyPlanned: new Set(existing.map((e) => e.siteOrgId)), engineers: [...engineers.keys()], assignments });
    const services = new Map(outlets.map((o) => [o.orgId, o.services]));
    const created =
      plan.length === 0
        ? []
        : await tx
            .insert(maintenanceVisits)
            .values(plan.map((p) => ({ contractId: contract.id, siteOrgId: p.siteOrgId, month, kind: 'PREVENTIVE' as const, services: services.get(p.siteOrgId) ?? [], engineerId: p.engineerId, status: 'PLANNED' as const })))
            .onConflictDoNothing()
            .returning({ id: maintenanceVisits.id });
    return { created: created.length, total: existing.length + created.length };
  });
}

/** A photo visit at the home of someone who cannot come to the outlet (上门拍照), on behalf of an outlet. */
export async function createPhotoVisit(ctx: AppContext, principal: Principal, input: { siteOrgId: string; month: string; engineerId?: string | null }): Promise<string> {
  const month = checkMonth(input.month);
  return ctx.db.orm.transaction(async (tx) => {
    const [site] = await tx
      .select()
      .from(maintenanceSites)
      .where(and(eq(maintenanceSites.orgId, input.siteOrgId), siteVisible(ctx, principal, maintenanceSites.orgId, maintenanceSites.contractId, tx)));
    if (!site) throw new AppError('OUT_OF_SCOPE');
    const contract = await visibleContract(ctx, principal, site.contractId, tx);
    if (!mayPlan(principal, contract)) throw new AppError('FORBIDDEN');
    checkInTerm(contract, month);
    let engineerId = input.engineerId ?? null;
    if (engineerId === null && principal.type === 'USER' && principal.orgId === contract.maintainerOrgId) engineerId = principal.id;
    if (engineerId !== null && !(await activeUsersWithRole(ctx, contract.maintainerOrgId, ENGINEER_ROLE, tx)).has(engineerId)) throw new AppError('VISIT_ENGINEER_INVALID');
    const [row] = await tx
      .insert(maintenanceVisits)
      .values({ contractId: contract.id, siteOrgId: site.orgId, month, kind: 'PHOTO_AT_HOME', services: site.services, engineerId, status: 'PLANNED' })
      .returning({ id: maintenanceVisits.id });
    return row!.id;
  });
}

function tally(answers: readonly VisitAnswer[]) {
  return {
    ok: answers.filter((a) => a.result === 'OK').length,
    problems: answers.filter((a) => a.result === 'PROBLEM').length,
    notApplicable: answers.filter((a) => a.result === 'NA').length,
  };
}

function visitOut(v: VisitRow, names: { site: ReadonlyMap<string, string>; users: ReadonlyMap<string, string> }) {
  const items = checklistFor(v.kind, v.services);
  return {
    id: v.id,
    contractId: v.contractId,
    siteOrgId: v.siteOrgId,
    siteName: names.site.get(v.siteOrgId) ?? '',
    month: v.month,
    kind: v.kind,
    status: v.status,
    engineerId: v.engineerId,
    engineerName: v.engineerId ? (names.users.get(v.engineerId) ?? '') : null,
    itemCount: items.length,
    answeredCount: v.answers.length,
    ...tally(v.answers),
    signerNameMasked: v.signerNameMasked,
    signedAt: v.signedAt?.toISOString() ?? null,
    signedAtLocal: v.signedAt ? formatShanghai(v.signedAt) : null,
    missed: v.missedBreachId !== null,
  };
}

export interface VisitFilter {
  month?: string;
  status?: VisitStatus;
  kind?: VisitKind;
  engineerId?: string;
  siteOrgId?: string;
  contractId?: string;
  limit?: number;
  offset?: number;
}

export async function listVisits(ctx: AppContext, principal: Principal, filter: VisitFilter) {
  const where = and(
    visitsVisible(ctx, principal),
    filter.month ? eq(maintenanceVisits.month, checkMonth(filter.month)) : undefined,
    filter.status ? eq(maintenanceVisits.status, filter.status) : undefined,
    filter.kind ? eq(maintenanceVisits.kind, filter.kind) : undefined,
    filter.engineerId ? eq(maintenanceVisits.engineerId, filter.engineerId) : undefined,
    filter.siteOrgId ? eq(maintenanceVisits.siteOrgId, filter.siteOrgId) : undefined,
    filter.contractId ? eq(maintenanceVisits.contractId, filter.contractId) : undefined,
  );
  const rows = await ctx.db.orm
    .select()
    .from(maintenanceVisits)
    .where(where)
    .orderBy(asc(maintenanceVisits.month), asc(maintenanceVisits.siteOrgId), asc(maintenanceVisits.createdAt))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
  const [{ n } = { n: 0 }] = await ctx.db.orm.select({ n: count() }).from(maintenanceVisits).where(where);
  const orgs = await orgsByIds(ctx, rows.map((r) => r.siteOrgId));
  const names = { site: new Map([...orgs].map(([id, o]) => [id, o.name])), users: await userNamesByIds(ctx, rows.map((r) => r.engineerId)) };
  const items = rows.map((r) => visitOut(r, names)).sort((a, b) => a.month.localeCompare(b.month) || a.siteName.localeCompare(b.siteName, 'zh-CN'));
  return { items, total: n };
}

async function visibleVisit(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm, lock = false): Promise<VisitRow> {
  const query = q
    .select()
    .from(maintenanceVisits)
    .where(and(eq(maintenanceVisits.id, id), visitsVisible(ctx, principal, q)));
  const [v] = lock ? await query.for('update', { of: maintenanceVisits }) : await query;
  if (!v) throw new AppError('NOT_FOUND');
  return v;
}

/** Whoever may see a visit may know its contract; an outlet sees the visits to it but not the authority's contracts. */
async function contractOfVisit(ctx: AppContext, v: VisitRow, q: Queryable = ctx.db.orm): Promise<ContractRow> {
  const c = await contractById(ctx, v.contractId, q);
  if (!c) throw new AppError('NOT_FOUND');
  return c;
}

export async function getVisit(ctx: AppContext, principal: Principal, id: string) {
  const v = await visibleVisit(ctx, principal, id);
  const contract = await contractOfVisit(ctx, v);
  const orgs = await orgsByIds(ctx, [v.siteOrgId]);
  const names = { site: new Map([...orgs].map(([k, o]) => [k, o.name])), users: await userNamesByIds(ctx, [v.engineerId, v.signedById]) };
  return {
    ...visitOut(v, names),
    contractName: contract.name,
    items: checklistFor(v.kind, v.services),
    answers: v.answers.map((a) => ({ code: a.code, result: a.result, note: a.note ?? null, ticketId: a.ticketId ?? null })),
    signedByName: v.signedById ? (names.users.get(v.signedById) ?? null) : null,
    mayFill: v.status !== 'SIGNED' && mayFill(principal, contract),
  };
}

async function fillableVisit(ctx: AppContext, principal: Principal, id: string, q: Queryable) {
  const v = await visibleVisit(ctx, principal, id, q, true);
  const contract = await contractOfVisit(ctx, v, q);
  if (!mayFill(principal, contract)) throw new AppError('VISIT_NOT_ASSIGNED');
  if (v.status === 'SIGNED') throw new AppError('VISIT_STATE_INVALID');
  return v;
}

/** Saves the whole set of answers given so far; the first save starts the visit (PLANNED → IN_PROGRESS). */
export async function saveAnswers(ctx: AppContext, principal: Principal, id: string, answers: VisitAnswer[]): Promise<void> {
  await ctx.db.orm.transaction(async (tx) => {
    const v = await fillableVisit(ctx, principal, id, tx);
    const checked = checkAnswers(checklistFor(v.kind, v.services), answers);
    const ticketIds = [...new Set(checked.map((a) => a.ticketId).filter((t): t is string => !!t))];
    if (ticketIds.length > 0) {
      const found = await tx
        .select({ id: maintenanceTickets.id })
        .from(maintenanceTickets)
        .where(and(inArray(maintenanceTickets.id, ticketIds), eq(maintenanceTickets.siteOrgId, v.siteOrgId)));
      if (found.length !== ticketIds.length) throw new AppError('VISIT_ANSWER_INVALID', { params: { reason: 'a linked ticket is not a ticket of this outlet' } });
    }
    const status: VisitStatus = checked.length === 0 && v.status === 'PLANNED' ? 'PLANNED' : 'IN_PROGRESS';
    await tx.update(maintenanceVisits).set({ answers: checked, status, updatedAt: new Date() }).where(eq(maintenanceVisits.id, v.id));
  });
}

export const SIGNER_NAME_MAX = 50;

/** The outlet staff member signs the form on the engineer's screen: every item answered, a drawn signature. */
export async function signVisit(ctx: AppContext, principal: Principal, id: string, input: { signerName: string; signaturePng: string }, now = new Date()): Promise<void> {
  await ctx.db.orm.transaction(async (tx) => {
    const v = await fillableVisit(ctx, principal, id, tx);
    const missing = unansweredItems(checklistFor(v.kind, v.services), v.answers);
    if (missing.length > 0) throw new AppError('VISIT_ITEMS_UNANSWERED', { params: { count: missing.length }, details: { items: missing } });
    const signerName = input.signerName.trim();
    if (signerName.length === 0 || [...signerName].length > SIGNER_NAME_MAX) {
      throw new AppError('VALIDATION_FAILED', { params: { reason: `signerName must be 1–${SIGNER_NAME_MAX} characters` } });
    }
    const { png } = checkSignature(signatureBytes(input.signaturePng));
    await tx
      .update(maintenanceVisits)
      .set({
        status: 'SIGNED',
        signerNameEnc: encryptField(ctx.keyring, signerName),
        signerNameMasked: maskName(signerName),
        signatureEnc: encryptBytes(ctx.keyring, png),
        signatureSm3: sm3(png).toString('hex'),
        signedAt: now,
        signedById: principal.type === 'USER' ? principal.id : null,
        updatedAt: now,
      })
      .where(eq(maintenanceVisits.id, v.id));
  });
}

/** What the printed form needs: the visit with the signer's full name and the signature image. */
export async function visitForPrint(ctx: AppContext, principal: Principal, id: string) {
  const detail = await getVisit(ctx, principal, id);
  const [row] = await ctx.db.orm
    .select({ nameEnc: maintenanceVisits.signerNameEnc, signatureEnc: maintenanceVisits.signatureEnc })
    .from(maintenanceVisits)
    .where(eq(maintenanceVisits.id, id));
  return {
    ...detail,
    signerName: row?.nameEnc ? decryptField(ctx.keyring, row.nameEnc) : null,
    signaturePng: row?.signatureEnc ? decryptBytes(ctx.keyring, row.signatureEnc) : null,
  };
}

/** Per visible contract, the month's preventive visits: outlets, planned, in progress, signed, and outlets still without a signed visit. */
export async function monthSummary(ctx: AppContext, principal: Principal, month: string) {
  checkMonth(month);
  const contracts = await ctx.db.orm.select().from(maintenanceContracts).where(contractVisible(ctx, principal)).orderBy(asc(maintenanceContracts.name));
  const out = [];
  for (const c of contracts) {
    const outlets = await contractOutlets(ctx, c.id);
    const visible = await ctx.db.orm
      .select({ status: maintenanceVisits.status, n: count() })
      .from(maintenanceVisits)
      .where(and(eq(maintenanceVisits.contractId, c.id), eq(maintenanceVisits.month, month), eq(maintenanceVisits.kind, 'PREVENTIVE'), visitsVisible(ctx, principal)))
      .groupBy(maintenanceVisits.status);
    const by = (s: VisitStatus) => visible.find((r) => r.status === s)?.n ?? 0;
    const planned = by('PLANNED') + by('IN_PROGRESS') + by('SIGNED');
    out.push({
      contractId: c.id,
      contractName: c.name,
      outlets: outlets.length,
      planned,
      inProgress: by('IN_PROGRESS'),
      signed: by('SIGNED'),
      missing: Math.max(0, outlets.length - by('SIGNED')),
    });
  }
  return { month, contracts: out };
}

function previousMonth(now: Date): string {
  const [y, m] = shanghaiDate(now).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * Month end: every outlet of a contract without a signed preventive visit in the month just ended is a
 * MISSED_VISIT breach (seed 001: each outlet every month). A month nobody planned gets a visit row per
 * outlet now, so that each breach points at one visit; only then, because the sweep runs all through the
 * following month and an outlet registered in it was not due last month. Earlier months still holding
 * unsigned visits are swept too. A visit's breach is written once, so the sweep may run any number of
 * times and in parallel.
 */
export async function sweepMissedVisits(ctx: AppContext, now = new Date()): Promise<number> {
  // Visits signed within their month are settled; looking at them again on every sweep would only grow.
  const unsignedInMonth = sql`(${maintenanceVisits.status} <> 'SIGNED' or ${maintenanceVisits.signedAt} >= (((${maintenanceVisits.month} || '-01')::date + interval '1 month')::timestamp at time zone 'Asia/Shanghai'))`;
  const lastMonth = previousMonth(now);
  const contracts = await ctx.db.orm.select().from(maintenanceContracts);
  let recorded = 0;
  for (const contract of contracts) {
    const { first, last } = monthDays(lastMonth);
    if (first <= contract.termEnd && last >= contract.termStart && !(await monthPlanned(ctx, contract.id, lastMonth))) {
      const outlets = await contractOutlets(ctx, contract.id);
      if (outlets.length > 0) {
        await ctx.db.orm
          .insert(maintenanceVisits)
          .values(outlets.map((o) => ({ contractId: contract.id, siteOrgId: o.orgId, month: lastMonth, kind: 'PREVENTIVE' as const, services: o.services, engineerId: null, status: 'PLANNED' as const })))
          .onConflictDoNothing();
      }
    }
    const months = await ctx.db.orm
      .selectDistinct({ month: maintenanceVisits.month })
      .from(maintenanceVisits)
      .where(and(eq(maintenanceVisits.contractId, contract.id), eq(maintenanceVisits.kind, 'PREVENTIVE'), isNull(maintenanceVisits.missedBreachId), sql`${maintenanceVisits.month} <= ${lastMonth}`, unsignedInMonth));
    for (const { month } of months) recorded += await recordMissed(ctx, contract, month, now);
  }
  return recorded;
}

async function monthPlanned(ctx: AppContext, contractId: string, month: string): Promise<boolean> {
  const [row] = await ctx.db.orm
    .select({ id: maintenanceVisits.id })
    .from(maintenanceVisits)
    .where(and(eq(maintenanceVisits.contractId, contractId), eq(maintenanceVisits.month, month), eq(maintenanceVisits.kind, 'PREVENTIVE')))
    .limit(1);
  return row !== undefined;
}

async function recordMissed(ctx: AppContext, contract: ContractRow, month: string, now: Date): Promise<number> {
  const { first, next } = monthDays(month);
  const monthStart = shanghaiInstant(first, 0);
  const monthEnd = shanghaiInstant(next, 0);
  return ctx.db.orm.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(maintenanceVisits)
      .where(and(eq(maintenanceVisits.contractId, contract.id), eq(maintenanceVisits.month, month), eq(maintenanceVisits.kind, 'PREVENTIVE'), isNull(maintenanceVisits.missedBreachId)))
      .for('update', { skipLocked: true });
    const missed = missedVisits(open, monthEnd, now);
    if (missed.length === 0) return 0;
    const orgs = await orgsByIds(ctx, missed.map((v) => v.siteOrgId), tx);
    for (const v of missed) {
      const [breach] = await tx
        .insert(maintenanceBreaches)
        .values({
          contractId: contract.id,
          ticketId: null,
          kind: 'MISSED_VISIT',
          occurredAt: monthEnd,
          detectedAt: now,
          allowedMinutes: Math.round((monthEnd.getTime() - monthStart.getTime()) / 60_000),
          usedMinutes: (now.getTime() - monthStart.getTime()) / 60_000,
          evidence: {
            visitId: v.id,
            month,
            siteOrgId: v.siteOrgId,
            siteName: orgs.get(v.siteOrgId)?.name ?? '',
            status: v.status,
            engineerId: v.engineerId,
            answered: v.answers.length,
            signedAt: v.signedAt?.toISOString() ?? null,
          },
        })
        .returning({ id: maintenanceBreaches.id });
      await tx.update(maintenanceVisits).set({ missedBreachId: breach!.id }).where(eq(maintenanceVisits.id, v.id));
      await appendAudit(
        ctx,
        {
          actorType: 'SYSTEM',
          actorName: 'breach-sweep',
          orgId: v.siteOrgId,
          action: 'maintenance.breach.record',
          targetType: 'maintenance_breach',
          targetId: breach!.id,
          outcome: 'SUCCESS',
          details: { kind: 'MISSED_VISIT', month, visitId: v.id, contractId: contract.id },
        },
        tx,
      );
    }
    return missed.length;
  });
}
