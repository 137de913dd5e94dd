import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import { can, type Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError, renderMessage, type Locale } from '../../platform/errors/app-error.ts';
import type { ErrorCode } from '../../platform/errors/messages.ts';
import { parseSegments, type WorkingCalendar } from '../calendar/rules.ts';
import { loadWorkingCalendar } from '../calendar/service.ts';
import { formatShanghai, shanghaiDate } from '../calendar/zone.ts';
import { findOrg, orgsByIds } from '../orgs/service.ts';
import { contractById, policyOf, siteZone, zoneEntriesOf } from './contracts.ts';
import { maintenanceAssets, maintenanceTicketEvents, maintenanceTickets, type TicketChannel } from './schema.ts';
import { inOwnScope, siteVisible, visibleSite } from './scope.ts';
import { recordBreaches } from './breaches.ts';
import { appendAudit } from '../../platform/audit/service.ts';
import { ticketClocks, ticketSlaFor, type ClockView, type StatusEvent, type TicketClocks, type TicketSla } from './sla.ts';
import { checkEventInstant, nextStatus, TICKET_ACTIONS, TRANSITIONS, type TicketAction, type TicketStatus, type WaitingReason } from './states.ts';

/** Fault tickets: opening, status changes as appended events, and the live SLA clocks derived from them. */

export type TicketRow = typeof maintenanceTickets.$inferSelect;
type EventRow = typeof maintenanceTicketEvents.$inferSelect;

export function ticketSla(t: TicketRow): TicketSla {
  return {
    clock: t.clock,
    responseTarget: t.responseTarget,
    responseMinutes: t.responseMinutes,
    fixMinutes: t.fixMinutes,
    warnPercent: t.warnPercent,
    segments: parseSegments(t.openingHours),
  };
}

function statusHistory(events: readonly EventRow[]): StatusEvent[] {
  return events.map((e) => ({ status: e.toStatus, at: e.at }));
}

/** Clocks for display: whole minutes, instants in ISO and Shanghai wall-clock time, errors in words. */
function clockOut(c: ClockView | null, locale: Locale) {
  if (!c) return null;
  return {
    allowedMinutes: c.allowedMinutes,
    usedMinutes: Math.floor(c.usedMinutes),
    leftMinutes: Math.ceil(c.leftMinutes),
    percent: c.percent,
    deadline: c.deadline?.toISOString() ?? null,
    deadlineLocal: c.deadline ? formatShanghai(c.deadline) : null,
    stoppedAt: c.stoppedAt?.toISOString() ?? null,
    paused: c.paused,
    breached: c.breached,
    state: c.state,
    deadlineError: c.deadlineError ? { code: c.deadlineError.code, message: renderMessage(c.deadlineError.code as ErrorCode, locale, c.deadlineError.params) } : null,
  };
}

/** Clocks, or the reason they cannot be computed (elapsed time inside an unpublished year). */
function clocksOrError(cal: WorkingCalendar, t: TicketRow, events: readonly EventRow[], now: Date): TicketClocks | AppError {
  try {
    return ticketClocks(cal, ticketSla(t), statusHistory(events), now);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

function clocksOut(clocks: TicketClocks | AppError, locale: Locale) {
  if (clocks instanceof AppError) return { response: null, fix: null, error: { code: clocks.code, message: clocks.messageIn(locale) } };
  return { response: clockOut(clocks.response, locale), fix: clockOut(clocks.fix, locale), error: null };
}

/** The actions this principal may take on a ticket in its current status. */
function actionsFor(principal: Principal, status: TicketStatus, reporter: boolean): TicketAction[] {
  return TICKET_ACTIONS.filter((a) => {
    const rule = TRANSITIONS[a];
    if (!rule.from.includes(status)) return false;
    return rule.side === 'ENGINEER' ? can(principal, 'ticket.work') : can(principal, 'ticket.open') && reporter;
  });
}

function ticketOut(t: TicketRow, names: ReadonlyMap<string, string>, asset: { serial: string; type: string } | null, clocks: TicketClocks | AppError, locale: Locale, now: Date) {
  return {
    id: t.id,
    ticketNo: t.ticketNo,
    siteOrgId: t.siteOrgId,
    siteName: names.get(t.siteOrgId) ?? '',
    contractId: t.contractId,
    assetId: t.assetId,
    assetSerial: asset?.serial ?? null,
    assetType: asset?.type ?? null,
    category: t.category,
    description: t.description,
    channel: t.channel,
    zone: t.zone,
    status: t.status,
    openedAt: t.openedAt.toISOString(),
    openedAtLocal: formatShanghai(t.openedAt),
    lastEventAt: t.lastEventAt.toISOString(),
    sla: { clock: t.clock, responseTarget: t.responseTarget, responseMinutes: t.responseMinutes, fixMinutes: t.fixMinutes, warnPercent: t.warnPercent, openingHours: t.openingHours },
    clocks: clocksOut(clocks, locale),
    asOf: now.toISOString(),
  };
}

function ticketsVisible(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm) {
  return siteVisible(ctx, principal, maintenanceTickets.siteOrgId, maintenanceTickets.contractId, q);
}

async function eventsOf(q: Queryable, ticketIds: string[]): Promise<Map<string, EventRow[]>> {
  const out = new Map<string, EventRow[]>();
  if (ticketIds.length === 0) return out;
  const rows = await q.select().from(maintenanceTicketEvents).where(inArray(maintenanceTicketEvents.ticketId, ticketIds)).orderBy(asc(maintenanceTicketEvents.ticketId), asc(maintenanceTicketEvents.seq));
  for (const r of rows) {
    const list = out.get(r.ticketId) ?? [];
    list.push(r);
    out.set(r.ticketId, list);
  }
  return out;
}

async function assetsOf(q: Queryable, ids: (string | null)[]) {
  const unique = [...new Set(ids.filter((i): i is string => i !== null))];
  if (unique.length === 0) return new Map<string, { serial: string; type: string }>();
  const rows = await q.select({ id: maintenanceAssets.id, serial: maintenanceAssets.serial, type: maintenanceAssets.type }).from(maintenanceAssets).where(inArray(maintenanceAssets.id, unique));
  return new Map(rows.map((r) => [r.id, { serial: r.serial, type: r.type }]));
}

export interface OpenTicketInput {
  siteOrgId: string;
  assetId?: string | null;
  category: string;
  description: string;
  channel?: 'CONSOLE' | 'HOTLINE';
  openedAt?: string;
  idempotencyKey?: string;
}

/**
 * Opens a ticket for a site the principal may see (an outlet clerk: its own outlet; the maintainer's
 * hotline: the sites of its contracts). The SLA of the contract in force and the site's zone and opening
 * hours are copied onto the ticket. A deadline that cannot be computed (unpublished year) does not stop
 * the report: the fault is recorded and its clock shows the calendar error.
 */
export async function openTicket(ctx: AppContext, principal: Principal, input: OpenTicketInput, now = new Date()): Promise<{ id: string; created: boolean }> {
  const openKey = input.idempotencyKey ? `open:${principal.orgId}:${input.idempotencyKey}` : `open:${randomUUID()}`;
  const [existing] = await ctx.db.orm.select({ ticketId: maintenanceTicketEvents.ticketId }).from(maintenanceTicketEvents).where(eq(maintenanceTicketEvents.idempotencyKey, openKey));
  if (existing) return { id: existing.ticketId, created: false };

  const site = await visibleSite(ctx, principal, input.siteOrgId);
  const openedAt = input.openedAt ? new Date(input.openedAt) : now;
  if (Number.isNaN(openedAt.getTime())) throw new AppError('VALIDATION_FAILED', { params: { reason: 'openedAt is not a valid instant' } });
  if (openedAt.getTime() > now.getTime()) throw new AppError('TICKET_EVENT_IN_FUTURE', { params: { at: openedAt.toISOString() } });
  const contract = await contractById(ctx, site.contractId);
  const day = shanghaiDate(openedAt);
  if (!contract || day < contract.termStart || day > contract.termEnd) throw new AppError('TICKET_NO_CONTRACT', { params: { date: day } });
  if (input.assetId) {
    const [asset] = await ctx.db.orm.select({ siteOrgId: maintenanceAssets.siteOrgId }).from(maintenanceAssets).where(eq(maintenanceAssets.id, input.assetId));
    if (asset?.siteOrgId !== site.orgId) throw new AppError('TICKET_ASSET_OTHER_SITE');
  }
  const org = await findOrg(ctx, site.orgId);
  const zone = siteZone(await zoneEntriesOf(ctx, contract.zoneTableId), org?.regionCode ?? null, site.zoneOverride);
  const sla = ticketSlaFor(policyOf(contract), zone, parseSegments(site.openingHours));
  const channel: TicketChannel = principal.type === 'API_KEY' ? 'API' : (input.channel ?? 'CONSOLE');

  const id = await ctx.db.orm.transaction(async (tx) => {
    const [{ n } = { n: 0 }] = await ctx.db.rows<{ n: number }>(tx, sql`select nextval('maintenance_ticket_no_seq')::int as n`);
    const [ticket] = await tx
      .insert(maintenanceTickets)
      .values({
        ticketNo: `WX${day.slice(0, 4)}${String(n).padStart(6, '0')}`,
        contractId: contract.id,
        siteOrgId: site.orgId,
        assetId: input.assetId ?? null,
        category: input.category.trim(),
        description: input.description.trim(),
        channel,
        zone,
        clock: sla.clock,
        responseTarget: sla.responseTarget,
        responseMinutes: sla.responseMinutes,
        fixMinutes: sla.fixMinutes,
        warnPercent: sla.warnPercent,
        openingHours: site.openingHours,
        status: 'NEW',
        openedAt,
        lastEventAt: openedAt,
        lastSeq: 1,
      })
      .returning({ id: maintenanceTickets.id });
    await tx.insert(maintenanceTicketEvents).values({
      ticketId: ticket!.id,
      seq: 1,
      action: 'OPEN',
      fromStatus: null,
      toStatus: 'NEW',
      at: openedAt,
      actorType: principal.type,
      actorId: principal.id,
      actorName: principal.name,
      idempotencyKey: openKey,
    });
    return ticket!.id;
  });
  return { id, created: true };
}

export interface TicketEventInput {
  at?: string;
  note?: string | null;
  waitingReason?: WaitingReason;
  idempotencyKey?: string;
}

/**
 * Appends one status change. The ticket row is locked so concurrent changes queue; a retried request
 * (same idempotency key) changes nothing; an instant before the last change is refused. Breaches the
 * change reveals (a late acknowledgement, a late fix) are written in the same transaction.
 */
export async function recordTicketAction(ctx: AppContext, principal: Principal, id: string, action: TicketAction, input: TicketEventInput, now = new Date()): Promise<void> {
  const key = `${id}:${input.idempotencyKey ?? randomUUID()}`;
  if (action === 'WAIT' && !input.waitingReason) throw new AppError('VALIDATION_FAILED', { params: { reason: 'waiting needs a reason: PARTS or CUSTOMER' } });
  const cal = await loadWorkingCalendar(ctx);
  await ctx.db.orm.transaction(async (tx) => {
    const [ticket] = await tx
      .select()
      .from(maintenanceTickets)
      .where(and(eq(maintenanceTickets.id, id), ticketsVisible(ctx, principal, tx)))
      .for('update');
    if (!ticket) throw new AppError('NOT_FOUND');
    const [done] = await tx.select({ seq: maintenanceTicketEvents.seq }).from(maintenanceTicketEvents).where(eq(maintenanceTicketEvents.idempotencyKey, key));
    if (done) return;
    if (TRANSITIONS[action].side === 'REPORTER' && !(await inOwnScope(ctx, principal, ticket.siteOrgId, tx))) throw new AppError('FORBIDDEN');
    const to = nextStatus(ticket.status, action);
    const at = input.at ? new Date(input.at) : now;
    checkEventInstant(at, ticket.lastEventAt, now);
    const seq = ticket.lastSeq + 1;
    await tx.insert(maintenanceTicketEvents).values({
      ticketId: id,
      seq,
      action,
      fromStatus: ticket.status,
      toStatus: to,
      at,
      waitingReason: action === 'WAIT' ? (input.waitingReason ?? null) : null,
      note: input.note?.trim() || null,
      actorType: principal.type,
      actorId: principal.id,
      actorName: principal.name,
      idempotencyKey: key,
    });
    const [updated] = await tx.update(maintenanceTickets).set({ status: to, lastEventAt: at, lastSeq: seq }).where(eq(maintenanceTickets.id, id)).returning();
    const events = (await eventsOf(tx, [id])).get(id) ?? [];
    const clocks = clocksOrError(cal, updated!, events, at);
    if (!(clocks instanceof AppError)) await recordBreaches(tx, updated!, events, clocks, now);
  });
}

export interface TicketFilter {
  status?: TicketStatus;
  open?: boolean;
  siteOrgId?: string;
  limit?: number;
  offset?: number;
}

export async function listTickets(ctx: AppContext, principal: Principal, filter: TicketFilter, locale: Locale, now = new Date()) {
  const where = and(
    ticketsVisible(ctx, principal),
    filter.status ? eq(maintenanceTickets.status, filter.status) : undefined,
    filter.open ? ne(maintenanceTickets.status, 'CLOSED') : undefined,
    filter.siteOrgId ? eq(maintenanceTickets.siteOrgId, filter.siteOrgId) : undefined,
  );
  const rows = await ctx.db.orm
    .select()
    .from(maintenanceTickets)
    .where(where)
    .orderBy(desc(maintenanceTickets.openedAt))
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0);
  const [{ n } = { n: 0 }] = await ctx.db.orm.select({ n: sql<number>`count(*)::int` }).from(maintenanceTickets).where(where);
  const cal = await loadWorkingCalendar(ctx);
  const events = await eventsOf(ctx.db.orm, rows.map((r) => r.id));
  const names = await orgsByIds(ctx, rows.map((r) => r.siteOrgId));
  const nameOf = new Map([...names].map(([k, v]) => [k, v.name]));
  const assets = await assetsOf(ctx.db.orm, rows.map((r) => r.assetId));
  const items = rows.map((t) => ticketOut(t, nameOf, t.assetId ? (assets.get(t.assetId) ?? null) : null, clocksOrError(cal, t, events.get(t.id) ?? [], now), locale, now));
  return { items, total: n };
}

export async function getTicket(ctx: AppContext, principal: Principal, id: string, locale: Locale, now = new Date()) {
  const [t] = await ctx.db.orm
    .select()
    .from(maintenanceTickets)
    .where(and(eq(maintenanceTickets.id, id), ticketsVisible(ctx, principal)));
  if (!t) throw new AppError('NOT_FOUND');
  const cal = await loadWorkingCalendar(ctx);
  const events = (await eventsOf(ctx.db.orm, [id])).get(id) ?? [];
  const names = await orgsByIds(ctx, [t.siteOrgId]);
  const assets = await assetsOf(ctx.db.orm, [t.assetId]);
  const reporter = await inOwnScope(ctx, principal, t.siteOrgId);
  return {
    ...ticketOut(t, new Map([[t.siteOrgId, names.get(t.siteOrgId)?.name ?? '']]), t.assetId ? (assets.get(t.assetId) ?? null) : null, clocksOrError(cal, t, events, now), locale, now),
    events: events.map((e) => ({
      seq: e.seq,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      at: e.at.toISOString(),
      atLocal: formatShanghai(e.at),
      waitingReason: e.waitingReason,
      note: e.note,
      actorName: e.actorName,
    })),
    actions: actionsFor(principal, t.status, reporter),
  };
}

/** Advisory lock key of the breach sweep (any constant unique in the application; migrations use 7283519). */
const BREACH_SWEEP_LOCK = 7283520;

/**
 * Finds breaches of tickets still running (no event reveals those): run on a schedule
 * (./scheduler.ts) and before the register is read, so that a fault nobody has acknowledged appears as
 * soon as it is late. Each breach is written once (unique per ticket and kind) and audited by the sweep
 * that wrote it. Sweeps in several processes take turns on a transaction advisory lock (two of them
 * interleaved could each hold the audit chain's head while waiting for the other's breach row) and read
 * the tickets only once they hold it, so none works from a view older than the last sweep's.
 * Answers how many breaches this sweep registered.
 */
export async function sweepTicketBreaches(ctx: AppContext, now = new Date()): Promise<number> {
  const cal = await loadWorkingCalendar(ctx);
  return ctx.db.orm.transaction(async (tx) => {
    await ctx.db.rows(tx, sql`select pg_advisory_xact_lock(${BREACH_SWEEP_LOCK})`);
    // A ticket locked by a status change in progress is skipped: that change computes its own breaches.
    const open = await tx
      .select()
      .from(maintenanceTickets)
      .where(notInArray(maintenanceTickets.status, ['RESOLVED', 'CLOSED']))
      .for('update', { skipLocked: true });
    const events = await eventsOf(tx, open.map((t) => t.id));
    let recorded = 0;
    for (const t of open) {
      const list = events.get(t.id) ?? [];
      const clocks = clocksOrError(cal, t, list, now);
      if (clocks instanceof AppError) continue;
      for (const b of await recordBreaches(tx, t, list, clocks, now)) {
        recorded += 1;
        await appendAudit(
          ctx,
          {
            actorType: 'SYSTEM',
            actorName: 'breach-sweep',
            orgId: t.siteOrgId,
            action: 'maintenance.breach.record',
            targetType: 'maintenance_breach',
            targetId: b.id,
            outcome: 'SUCCESS',
            details: { ticketNo: t.ticketNo, kind: b.kind, contractId: b.contractId },
          },
          tx,
        );
      }
    }
    return recorded;
  });
}
