import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/engine.ts';
import { formatShanghai } from '../calendar/zone.ts';
import { orgsByIds } from '../orgs/service.ts';
import { maintenanceBreaches, maintenanceContracts, maintenanceTicketEvents, maintenanceTickets } from './schema.ts';
import { contractVisible } from './scope.ts';
import { breachStanding, ticketBreaches, type TicketClocks } from './sla.ts';
import { breachesInTerm, terminationAlertsOf } from './termination.ts';

/** The breach register (issue item 8): written once per ticket and kind, counted per contract term. */

type TicketRow = typeof maintenanceTickets.$inferSelect;
type EventRow = typeof maintenanceTicketEvents.$inferSelect;

export interface RecordedBreach {
  id: string;
  contractId: string;
  kind: string;
}

/**
 * Writes the breaches the clocks show, with the status history as evidence; an already registered one
 * is left as it was. Answers the ones written now.
 */
export async function recordBreaches(tx: Tx, t: TicketRow, events: readonly EventRow[], clocks: TicketClocks, now: Date): Promise<RecordedBreach[]> {
  const found = ticketBreaches(clocks);
  if (found.length === 0) return [];
  return tx
    .insert(maintenanceBreaches)
    .values(
      found.map((b) => ({
        contractId: t.contractId,
        ticketId: t.id,
        kind: b.kind,
        occurredAt: b.occurredAt ?? now,
        detectedAt: now,
        allowedMinutes: b.allowedMinutes,
        usedMinutes: b.usedMinutes,
        evidence: {
          ticketNo: t.ticketNo,
          siteOrgId: t.siteOrgId,
          zone: t.zone,
          clock: t.clock,
          openingHours: t.openingHours,
          openedAt: t.openedAt.toISOString(),
          deadline: b.occurredAt?.toISOString() ?? null,
          stoppedAt: b.stoppedAt?.toISOString() ?? null,
          usedMinutesAtDetection: Math.floor(b.usedMinutes),
          history: events.map((e) => ({ seq: e.seq, status: e.toStatus, at: e.at.toISOString(), actorName: e.actorName })),
        },
      })),
    )
    .onConflictDoNothing()
    .returning({ id: maintenanceBreaches.id, contractId: maintenanceBreaches.contractId, kind: maintenanceBreaches.kind });
}

/** Contracts in scope with their breach count in the term, the register itself, newest first, and the termination alerts raised. */
export async function breachRegister(ctx: AppContext, principal: Principal, filter: { contractId?: string; limit?: number; offset?: number }) {
  const contracts = await ctx.db.orm
    .select()
    .from(maintenanceContracts)
    .where(and(contractVisible(ctx, principal), filter.contractId ? eq(maintenanceContracts.id, filter.contractId) : undefined))
    .orderBy(asc(maintenanceContracts.name));
  if (contracts.length === 0) return { contracts: [], items: [], total: 0, alerts: [] };
  const ids = contracts.map((c) => c.id);
  const counts = new Map<string, number>();
  for (const c of contracts) counts.set(c.id, await breachesInTerm(ctx, c));
  const rows = await ctx.db.orm
    .select({ breach: maintenanceBreaches, ticketNo: maintenanceTickets.ticketNo, siteOrgId: maintenanceTickets.siteOrgId })
    .from(maintenanceBreaches)
    .leftJoin(maintenanceTickets, eq(maintenanceTickets.id, maintenanceBreaches.ticketId))
    .where(inArray(maintenanceBreaches.contractId, ids))
    .orderBy(desc(maintenanceBreaches.occurredAt))
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0);
  const [{ total } = { total: 0 }] = await ctx.db.orm.select({ total: sql<number>`count(*)::int` }).from(maintenanceBreaches).where(inArray(maintenanceBreaches.contractId, ids));
  const names = await orgsByIds(ctx, [...rows.map((r) => r.siteOrgId).filter((s): s is string => s !== null), ...contracts.map((c) => c.maintainerOrgId)]);
  const contractName = new Map(contracts.map((c) => [c.id, c.name]));
  return {
    contracts: contracts.map((c) => {
      const n = counts.get(c.id) ?? 0;
      return {
        id: c.id,
        name: c.name,
        maintainerName: names.get(c.maintainerOrgId)?.name ?? '',
        termStart: c.termStart,
        termEnd: c.termEnd,
        breaches: n,
        terminationThreshold: c.breachTerminationCount,
        standing: breachStanding(n, c.breachTerminationCount),
      };
    }),
    items: rows.map(({ breach: b, ticketNo, siteOrgId }) => ({
      id: b.id,
      contractId: b.contractId,
      contractName: contractName.get(b.contractId) ?? '',
      ticketId: b.ticketId,
      ticketNo,
      siteName: siteOrgId ? (names.get(siteOrgId)?.name ?? '') : null,
      kind: b.kind,
      occurredAt: b.occurredAt.toISOString(),
      occurredAtLocal: formatShanghai(b.occurredAt),
      detectedAt: b.detectedAt.toISOString(),
      allowedMinutes: b.allowedMinutes,
      usedMinutes: Math.floor(b.usedMinutes),
      evidence: b.evidence,
    })),
    total,
    alerts: await terminationAlertsOf(ctx, contracts),
  };
}
