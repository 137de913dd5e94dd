import { and, asc, count, eq, gte, lt, lte } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { addDaysToDate, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { maintenanceRepairs } from './repairs-schema.ts';
import { maintenanceBreaches, maintenanceContracts, maintenanceTickets } from './schema.ts';

/** The breach register as the settlement module prices it: entries of one contract by the Shanghai day they occurred. */

export interface SettledBreach {
  id: string;
  kind: string;
  ticketNo: string | null;
  occurredAt: Date;
  on: string;
}

export async function maintenanceContractExists(ctx: AppContext, id: string): Promise<boolean> {
  const [row] = await ctx.db.orm.select({ id: maintenanceContracts.id }).from(maintenanceContracts).where(eq(maintenanceContracts.id, id));
  return row !== undefined;
}

/** Breaches of the contract in `from`..`to`, and how many it had before `from` (termination thresholds count over the contract). */
export async function settledBreaches(db: Queryable, q: { contractId: string; from: string; to: string }): Promise<{ breaches: SettledBreach[]; before: number }> {
  const start = shanghaiInstant(q.from, 0);
  const rows = await db
    .select({ id: maintenanceBreaches.id, kind: maintenanceBreaches.kind, occurredAt: maintenanceBreaches.occurredAt, ticketNo: maintenanceTickets.ticketNo })
    .from(maintenanceBreaches)
    .leftJoin(maintenanceTickets, eq(maintenanceTickets.id, maintenanceBreaches.ticketId))
    .where(and(eq(maintenanceBreaches.contractId, q.contractId), gte(maintenanceBreaches.occurredAt, start), lt(maintenanceBreaches.occurredAt, shanghaiInstant(addDaysToDate(q.to, 1), 0))))
    .orderBy(asc(maintenanceBreaches.occurredAt), asc(maintenanceBreaches.id));
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(maintenanceBreaches)
    .where(and(eq(maintenanceBreaches.contractId, q.contractId), lt(maintenanceBreaches.occurredAt, start)));
  return { breaches: rows.map((r) => ({ ...r, on: shanghaiDate(r.occurredAt) })), before: n };
}

export interface SettledRepair {
  id: string;
  ticketId: string;
  ticketNo: string;
  part: string;
  quantity: number;
  /** Integer fen. */
  cost: number;
  /** The Shanghai day of the repair. */
  on: string;
}

/** Repair events of the contract the authority confirmed, repaired in `from`..`to` (recorded or disputed ones are not owed). */
export async function settledRepairs(db: Queryable, q: { contractId: string; from: string; to: string }): Promise<SettledRepair[]> {
  return db
    .select({
      id: maintenanceRepairs.id,
      ticketId: maintenanceRepairs.ticketId,
      ticketNo: maintenanceTickets.ticketNo,
      part: maintenanceRepairs.part,
      quantity: maintenanceRepairs.quantity,
      cost: maintenanceRepairs.costFen,
      on: maintenanceRepairs.repairedOn,
    })
    .from(maintenanceRepairs)
    .innerJoin(maintenanceTickets, eq(maintenanceTickets.id, maintenanceRepairs.ticketId))
    .where(and(eq(maintenanceRepairs.contractId, q.contractId), eq(maintenanceRepairs.status, 'CONFIRMED'), gte(maintenanceRepairs.repairedOn, q.from), lte(maintenanceRepairs.repairedOn, q.to)))
    .orderBy(asc(maintenanceRepairs.repairedOn), asc(maintenanceRepairs.createdAt), asc(maintenanceRepairs.id));
}
