import { and, asc, desc, eq, gte, inArray, lte, max } from 'drizzle-orm';
import { can, type Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { addDaysToDate, formatShanghai, isValidDate, shanghaiDate } from '../calendar/zone.ts';
import { orgsByIds, userNamesByIds } from '../orgs/service.ts';
import { contractById } from './contracts.ts';
import {
  checkRange,
  checkRoundAnswers,
  inspectionDays,
  SEED_INSPECTION_ITEMS,
  sameAnswers,
  templateProblems,
  type InspectionItem,
  type InspectionStatus,
} from './inspections-rules.ts';
import { maintenanceInspectionRounds, maintenanceInspectionTemplates } from './inspections-schema.ts';
import { maintenanceContracts, maintenanceSites, maintenanceTickets } from './schema.ts';
import { siteVisible, visibleContract, visibleSite } from './scope.ts';
import { openTicket } from './tickets.ts';
import { unansweredItems, type AnswerResult, type VisitAnswer } from './visits-rules.ts';

/** Daily inspections of core-system sites (seed 002): lists, rounds, findings as tickets, signing, and days without a round. */

type ContractRow = typeof maintenanceContracts.$inferSelect;
type RoundRow = typeof maintenanceInspectionRounds.$inferSelect;

const SEED_TEMPLATE_NAME = '居住证信息系统核心设备日常巡检（合同 002）';

function roundsVisible(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm) {
  return siteVisible(ctx, principal, maintenanceInspectionRounds.siteOrgId, maintenanceInspectionRounds.contractId, q);
}

/** Only the maintainer's engineers inspect; the client reads the records. */
function mayInspect(principal: Principal, contract: ContractRow): boolean {
  return principal.type === 'USER' && principal.orgId === contract.maintainerOrgId && can(principal, 'ticket.work');
}

/** The list is the maintainer's engineers' to keep, or the client manager's to set. */
function mayEditList(principal: Principal, contract: ContractRow): boolean {
  return mayInspect(principal, contract) || (principal.orgId !== contract.maintainerOrgId && can(principal, 'maintenance.manage'));
}

/** The list a contract's rounds are opened under now: its newest own version, or seed 002's. */
async function currentTemplate(q: Queryable, contractId: string): Promise<{ id: string | null; version: number; name: string; items: InspectionItem[] }> {
  const [own] = await q.select().from(maintenanceInspectionTemplates).where(eq(maintenanceInspectionTemplates.contractId, contractId)).orderBy(desc(maintenanceInspectionTemplates.version)).limit(1);
  if (own) return { id: own.id, version: own.version, name: own.name, items: own.items };
  return { id: null, version: 0, name: SEED_TEMPLATE_NAME, items: [...SEED_INSPECTION_ITEMS] };
}

export async function inspectionTemplate(ctx: AppContext, principal: Principal, contractId: string) {
  const contract = await visibleContract(ctx, principal, contractId);
  return { contractId: contract.id, ...(await currentTemplate(ctx.db.orm, contract.id)) };
}

/** A new version of a contract's inspection list; rounds already opened keep the list they were opened under. */
export async function saveInspectionTemplate(ctx: AppContext, principal: Principal, input: { contractId: string; name: string; items: InspectionItem[] }) {
  const items = input.items.map((i) => ({ code: i.code.trim(), category: i.category.trim(), zh: i.zh.trim(), en: i.en.trim() }));
  const problems = templateProblems(items);
  if (input.name.trim() === '') problems.push('the list needs a name');
  if (problems.length > 0) throw new AppError('INSPECTION_TEMPLATE_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  return ctx.db.orm.transaction(async (tx) => {
    const contract = await visibleContract(ctx, principal, input.contractId, tx);
    if (!mayEditList(principal, contract)) throw new AppError('FORBIDDEN');
    const [{ latest } = { latest: null }] = await tx.select({ latest: max(maintenanceInspectionTemplates.version) }).from(maintenanceInspectionTemplates).where(eq(maintenanceInspectionTemplates.contractId, contract.id));
    const [row] = await tx
      .insert(maintenanceInspectionTemplates)
      .values({ contractId: contract.id, version: (latest ?? 0) + 1, name: input.name.trim(), items })
      .returning();
    return { contractId: contract.id, id: row!.id, version: row!.version, name: row!.name, items: row!.items };
  });
}

/** The maintained sites of core systems the principal may see (an authority registered as a site). */
async function coreSites(ctx: AppContext, principal: Principal, onlyOrgId?: string) {
  const sites = await ctx.db.orm
    .select({ orgId: maintenanceSites.orgId, contract: maintenanceContracts })
    .from(maintenanceSites)
    .innerJoin(maintenanceContracts, eq(maintenanceContracts.id, maintenanceSites.contractId))
    .where(and(siteVisible(ctx, principal, maintenanceSites.orgId, maintenanceSites.contractId), onlyOrgId ? eq(maintenanceSites.orgId, onlyOrgId) : undefined));
  const orgs = await orgsByIds(ctx, sites.map((s) => s.orgId));
  return sites
    .filter((s) => orgs.get(s.orgId)?.kind === 'AUTHORITY')
    .map((s) => ({ orgId: s.orgId, name: orgs.get(s.orgId)!.name, contract: s.contract }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

/**
 * Opens the round of a core-system site for a day (default today in Shanghai). A day has one round:
 * asking again answers the round already opened.
 */
export async function openRound(ctx: AppContext, principal: Principal, input: { siteOrgId: string; day?: string }, now = new Date()): Promise<{ id: string; created: boolean }> {
  const site = await visibleSite(ctx, principal, input.siteOrgId);
  const [org] = (await orgsByIds(ctx, [site.orgId])).values();
  if (org?.kind !== 'AUTHORITY') throw new AppError('INSPECTION_SITE_NOT_CORE');
  const contract = (await contractById(ctx, site.contractId))!;
  if (!mayInspect(principal, contract)) throw new AppError('INSPECTION_NOT_MAINTAINER');
  const today = shanghaiDate(now);
  const day = input.day ?? today;
  const refuse = (reason: string) => new AppError('INSPECTION_DAY_INVALID', { params: { day, reason } });
  if (!isValidDate(day)) throw refuse('not a real YYYY-MM-DD date');
  if (day > today) throw refuse('the day has not come yet');
  if (day < contract.termStart || day > contract.termEnd) throw refuse(`outside the contract term ${contract.termStart} – ${contract.termEnd}`);
  return ctx.db.orm.transaction(async (tx) => {
    const template = await currentTemplate(tx, contract.id);
    const [created] = await tx
      .insert(maintenanceInspectionRounds)
      .values({ contractId: contract.id, siteOrgId: site.orgId, day, templateId: template.id, items: template.items, status: 'OPEN', openedById: principal.id })
      .onConflictDoNothing()
      .returning({ id: maintenanceInspectionRounds.id });
    if (created) return { id: created.id, created: true };
    const [existing] = await tx
      .select({ id: maintenanceInspectionRounds.id })
      .from(maintenanceInspectionRounds)
      .where(and(eq(maintenanceInspectionRounds.siteOrgId, site.orgId), eq(maintenanceInspectionRounds.day, day)));
    return { id: existing!.id, created: false };
  });
}

async function visibleRound(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm, lock = false): Promise<RoundRow> {
  const query = q
    .select()
    .from(maintenanceInspectionRounds)
    .where(and(eq(maintenanceInspectionRounds.id, id), roundsVisible(ctx, principal, q)));
  const [row] = lock ? await query.for('update', { of: maintenanceInspectionRounds }) : await query;
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

function tally(answers: readonly VisitAnswer[]) {
  const n = (r: AnswerResult) => answers.filter((a) => a.result === r).length;
  return { ok: n('OK'), problems: n('PROBLEM'), notApplicable: n('NA') };
}

export async function getRound(ctx: AppContext, principal: Principal, id: string) {
  const r = await visibleRound(ctx, principal, id);
  const contract = (await contractById(ctx, r.contractId))!;
  const [site] = (await orgsByIds(ctx, [r.siteOrgId])).values();
  const users = await userNamesByIds(ctx, [r.signedById, r.openedById]);
  const ticketIds = r.answers.flatMap((a) => (a.ticketId ? [a.ticketId] : []));
  const tickets = ticketIds.length === 0 ? [] : await ctx.db.orm.select({ id: maintenanceTickets.id, ticketNo: maintenanceTickets.ticketNo }).from(maintenanceTickets).where(inArray(maintenanceTickets.id, ticketIds));
  const ticketNo = new Map(tickets.map((t) => [t.id, t.ticketNo]));
  return {
    id: r.id,
    contractId: r.contractId,
    contractName: contract.name,
    siteOrgId: r.siteOrgId,
    siteName: site?.name ?? '',
    day: r.day,
    status: r.status,
    items: r.items,
    answers: r.answers.map((a) => ({ code: a.code, result: a.result, note: a.note ?? null, ticketId: a.ticketId ?? null, ticketNo: a.ticketId ? (ticketNo.get(a.ticketId) ?? null) : null })),
    itemCount: r.items.length,
    answeredCount: r.answers.length,
    ...tally(r.answers),
    openedByName: r.openedById ? (users.get(r.openedById) ?? null) : null,
    signedByName: r.signedById ? (users.get(r.signedById) ?? null) : null,
    signedAt: r.signedAt?.toISOString() ?? null,
    signedAtLocal: r.signedAt ? formatShanghai(r.signedAt) : null,
    mayFill: r.status === 'OPEN' && mayInspect(principal, contract),
  };
}

export interface RoundAnswerInput {
  code: string;
  result: AnswerResult;
  note?: string | null;
  /** Open a fault ticket for this problem (once: saving again keeps the ticket already opened). */
  raiseTicket?: boolean;
}

/**
 * Saves the answers so far (the whole set). A problem can raise a fault ticket for the site through
 * the ticket service; the ticket stays linked while the answer stays a problem. Once the round is
 * signed, the same answers again change nothing and different ones are refused.
 */
export async function saveRoundAnswers(ctx: AppContext, principal: Principal, id: string, input: RoundAnswerInput[]): Promise<void> {
  const round = await visibleRound(ctx, principal, id);
  const contract = (await contractById(ctx, round.contractId))!;
  if (!mayInspect(principal, contract)) throw new AppError('INSPECTION_NOT_MAINTAINER');
  const previous = new Map(round.answers.map((a) => [a.code, a]));
  const answers = checkRoundAnswers(
    round.items,
    input.map((a) => ({ code: a.code, result: a.result, note: a.note ?? null, ticketId: a.result === 'PROBLEM' ? (previous.get(a.code)?.ticketId ?? null) : null })),
  );
  if (round.status === 'SIGNED') {
    if (sameAnswers(round.answers, answers)) return;
    throw new AppError('INSPECTION_SIGNED');
  }
  // Tickets are opened before the answers are written (the ticket service runs its own transaction);
  // the key per round and item makes a retried save find the ticket it opened.
  const raise = new Set(input.filter((a) => a.raiseTicket && a.result === 'PROBLEM').map((a) => a.code));
  for (const a of answers) {
    if (!raise.has(a.code) || a.ticketId) continue;
    const index = round.items.findIndex((i) => i.code === a.code);
    const item = round.items[index]!;
    const ticket = await openTicket(ctx, principal, {
      siteOrgId: round.siteOrgId,
      category: `日常巡检：${item.category}`.slice(0, 50),
      description: `${round.day} 日常巡检发现问题 — ${item.zh}：${a.note ?? ''}`.slice(0, 2000),
      channel: 'CONSOLE',
      idempotencyKey: `insp:${round.id}:${index}`,
    });
    a.ticketId = ticket.id;
  }
  await ctx.db.orm.transaction(async (tx) => {
    const locked = await visibleRound(ctx, principal, id, tx, true);
    if (locked.status === 'SIGNED') throw new AppError('INSPECTION_SIGNED');
    await tx.update(maintenanceInspectionRounds).set({ answers, updatedAt: new Date() }).where(eq(maintenanceInspectionRounds.id, id));
  });
}

/** The engineer signs the round; every item must be answered. */
export async function signRound(ctx: AppContext, principal: Principal, id: string, now = new Date()): Promise<void> {
  await ctx.db.orm.transaction(async (tx) => {
    const round = await visibleRound(ctx, principal, id, tx, true);
    const contract = (await contractById(ctx, round.contractId, tx))!;
    if (!mayInspect(principal, contract)) throw new AppError('INSPECTION_NOT_MAINTAINER');
    if (round.status === 'SIGNED') throw new AppError('INSPECTION_SIGNED');
    const missing = unansweredItems(round.items, round.answers);
    if (missing.length > 0) throw new AppError('INSPECTION_ITEMS_UNANSWERED', { params: { count: missing.length }, details: { items: missing } });
    await tx.update(maintenanceInspectionRounds).set({ status: 'SIGNED', signedById: principal.id, signedAt: now, updatedAt: now }).where(eq(maintenanceInspectionRounds.id, id));
  });
}

/**
 * Each core-system site the principal may see, with every day of the period it owed a round and the
 * state of that day (SIGNED, OPEN, or MISSING when no round was even begun). Default: the last 31 days.
 */
export async function inspectionCalendar(ctx: AppContext, principal: Principal, input: { from?: string; to?: string; siteOrgId?: string }, now = new Date()) {
  const today = shanghaiDate(now);
  const to = input.to ?? today;
  const from = input.from ?? addDaysToDate(to, -30);
  checkRange(from, to);
  const sites = await coreSites(ctx, principal, input.siteOrgId);
  const rounds =
    sites.length === 0
      ? []
      : await ctx.db.orm
          .select({ id: maintenanceInspectionRounds.id, siteOrgId: maintenanceInspectionRounds.siteOrgId, day: maintenanceInspectionRounds.day, status: maintenanceInspectionRounds.status })
          .from(maintenanceInspectionRounds)
          .where(and(inArray(maintenanceInspectionRounds.siteOrgId, sites.map((s) => s.orgId)), gte(maintenanceInspectionRounds.day, from), lte(maintenanceInspectionRounds.day, to)))
          .orderBy(asc(maintenanceInspectionRounds.day));
  return {
    from,
    to,
    sites: sites.map((s) => {
      const mine = rounds.filter((r) => r.siteOrgId === s.orgId);
      const ids = new Map(mine.map((r) => [r.day, r.id]));
      const days = inspectionDays({ from, to, termStart: s.contract.termStart, termEnd: s.contract.termEnd, today, rounds: new Map<string, InspectionStatus>(mine.map((r) => [r.day, r.status])) });
      return {
        siteOrgId: s.orgId,
        siteName: s.name,
        contractId: s.contract.id,
        contractName: s.contract.name,
        mayInspect: mayInspect(principal, s.contract),
        missing: days.filter((d) => d.state === 'MISSING').length,
        days: days.map((d) => ({ ...d, roundId: ids.get(d.day) ?? null })),
      };
    }),
  };
}
