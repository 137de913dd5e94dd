import { and, asc, eq } from 'drizzle-orm';
import { can, type Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { formatShanghai, shanghaiDate } from '../calendar/zone.ts';
import { userNamesByIds } from '../orgs/service.ts';
import { formatYuan } from '../settlement/money.ts';
import { checkRepairDate, MAINTAINER_BEARS_UP_TO, normaliseSerials, parseRepairCost, repairShare, type RepairStatus } from './repairs-rules.ts';
import { maintenanceRepairs } from './repairs-schema.ts';
import { maintenanceContracts, maintenanceTickets } from './schema.ts';
import { inOwnScope, siteVisible } from './scope.ts';

/** Repair events of tickets: the maintainer records them, the contract's authority confirms or disputes each once. */

export interface RepairInput {
  contractId: string;
  ticketId: string;
  part: string;
  quantity: number;
  serials?: string[];
  cost: string;
  repairedOn: string;
  reference?: string | null;
}

type RepairRow = typeof maintenanceRepairs.$inferSelect;
type ContractRow = Pick<typeof maintenanceContracts.$inferSelect, 'id' | 'authorityOrgId' | 'maintainerOrgId'>;

function invalid(reason: string): AppError {
  return new AppError('REPAIR_INVALID', { params: { reason } });
}

async function contractOf(q: Queryable, id: string): Promise<ContractRow> {
  const [c] = await q
    .select({ id: maintenanceContracts.id, authorityOrgId: maintenanceContracts.authorityOrgId, maintainerOrgId: maintenanceContracts.maintainerOrgId })
    .from(maintenanceContracts)
    .where(eq(maintenanceContracts.id, id));
  if (!c) throw new AppError('NOT_FOUND');
  return c;
}

/** The authority's side of a contract: its own organisation or one above it, with the right to manage maintenance. */
async function decidesFor(ctx: AppContext, principal: Principal, contract: ContractRow, q: Queryable): Promise<boolean> {
  return can(principal, 'maintenance.manage') && principal.orgId !== contract.maintainerOrgId && (await inOwnScope(ctx, principal, contract.authorityOrgId, q));
}

function view(r: RepairRow, names: ReadonlyMap<string, string>) {
  const share = repairShare(r.costFen);
  return {
    id: r.id,
    ticketId: r.ticketId,
    contractId: r.contractId,
    part: r.part,
    quantity: r.quantity,
    serials: r.serials,
    cost: formatYuan(r.costFen),
    repairedOn: r.repairedOn,
    reference: r.reference,
    status: r.status,
    borneBy: share.authority > 0 ? ('AUTHORITY' as const) : ('MAINTAINER' as const),
    maintainerShare: formatYuan(share.maintainer),
    authorityShare: formatYuan(share.authority),
    recordedByName: r.recordedById ? (names.get(r.recordedById) ?? null) : null,
    decidedByName: r.decidedById ? (names.get(r.decidedById) ?? null) : null,
    decidedAtLocal: r.decidedAt ? formatShanghai(r.decidedAt) : null,
    disputeReason: r.disputeReason,
    createdAtLocal: formatShanghai(r.createdAt),
  };
}

async function views(ctx: AppContext, rows: RepairRow[], q: Queryable) {
  const names = await userNamesByIds(
    ctx,
    rows.flatMap((r) => [r.recordedById, r.decidedById]),
    q,
  );
  return rows.map((r) => view(r, names));
}

/** The repair events of a ticket the principal sees, with what the principal may do about them. */
export async function listTicketRepairs(ctx: AppContext, principal: Principal, ticketId: string) {
  const q = ctx.db.orm;
  const [ticket] = await q
    .select({ id: maintenanceTickets.id, contractId: maintenanceTickets.contractId })
    .from(maintenanceTickets)
    .where(and(eq(maintenanceTickets.id, ticketId), siteVisible(ctx, principal, maintenanceTickets.siteOrgId, maintenanceTickets.contractId, q)));
  if (!ticket) throw new AppError('NOT_FOUND');
  const contract = await contractOf(q, ticket.contractId);
  const rows = await q.select().from(maintenanceRepairs).where(eq(maintenanceRepairs.ticketId, ticket.id)).orderBy(asc(maintenanceRepairs.repairedOn), asc(maintenanceRepairs.createdAt));
  return {
    contractId: contract.id,
    maintainerBearsUpTo: formatYuan(MAINTAINER_BEARS_UP_TO),
    mayRecord: can(principal, 'ticket.work') && principal.orgId === contract.maintainerOrgId,
    mayDecide: await decidesFor(ctx, principal, contract, q),
    items: await views(ctx, rows, q),
  };
}

/** Records one repair event of a ticket on behalf of the contract's maintainer; it waits for the authority. */
export async function recordRepair(ctx: AppContext, principal: Principal, input: RepairInput, now = new Date()) {
  const part = input.part.trim();
  if (part.length === 0) throw invalid('the part or equipment replaced must be named');
  const cost = parseRepairCost(input.cost);
  if (!cost.ok) throw invalid(cost.reason);
  const reference = input.reference?.trim() || null;
  const serials = normaliseSerials(input.serials ?? []);
  return ctx.db.orm.transaction(async (tx) => {
    const contract = await contractOf(tx, input.contractId);
    if (principal.orgId !== contract.maintainerOrgId) throw new AppError('REPAIR_NOT_MAINTAINER');
    const [ticket] = await tx.select({ id: maintenanceTickets.id, contractId: maintenanceTickets.contractId, openedAt: maintenanceTickets.openedAt }).from(maintenanceTickets).where(eq(maintenanceTickets.id, input.ticketId));
    if (!ticket) throw new AppError('NOT_FOUND');
    if (ticket.contractId !== contract.id) throw new AppError('REPAIR_TICKET_OTHER_CONTRACT');
    const dateProblem = checkRepairDate(input.repairedOn, shanghaiDate(ticket.openedAt), shanghaiDate(now));
    if (dateProblem) throw invalid(dateProblem.reason);
    const [row] = await tx
      .insert(maintenanceRepairs)
      .values({
        contractId: contract.id,
        ticketId: ticket.id,
        part,
        quantity: input.quantity,
        serials,
        costFen: cost.fen,
        repairedOn: input.repairedOn,
        reference,
        status: 'RECORDED',
        recordedByOrgId: principal.orgId,
        recordedById: principal.type === 'USER' ? principal.id : null,
      })
      .returning();
    return (await views(ctx, [row!], tx))[0]!;
  });
}

export type RepairDecision = { status: Extract<RepairStatus, 'CONFIRMED'> } | { status: Extract<RepairStatus, 'DISPUTED'>; reason: string };

/** The authority's answer to a recorded repair event: confirmed (it goes to settlement) or disputed, once. */
export async function decideRepair(ctx: AppContext, principal: Principal, repairId: string, decision: RepairDecision, now = new Date()) {
  const reason = decision.status === 'DISPUTED' ? decision.reason.trim() : null;
  if (decision.status === 'DISPUTED' && !reason) throw invalid('a dispute gives its reason');
  return ctx.db.orm.transaction(async (tx) => {
    const [repair] = await tx.select().from(maintenanceRepairs).where(eq(maintenanceRepairs.id, repairId));
    if (!repair) throw new AppError('NOT_FOUND');
    const contract = await contractOf(tx, repair.contractId);
    if (repair.recordedByOrgId === principal.orgId) throw new AppError('REPAIR_OWN_RECORD');
    if (!(await decidesFor(ctx, principal, contract, tx))) {
      // Someone who cannot see the ticket learns nothing of the event.
      const [seen] = await tx
        .select({ id: maintenanceTickets.id })
        .from(maintenanceTickets)
        .where(and(eq(maintenanceTickets.id, repair.ticketId), siteVisible(ctx, principal, maintenanceTickets.siteOrgId, maintenanceTickets.contractId, tx)));
      throw new AppError(seen ? 'REPAIR_NOT_AUTHORITY' : 'NOT_FOUND');
    }
    const [row] = await tx
      .update(maintenanceRepairs)
      .set({ status: decision.status, decidedById: principal.type === 'USER' ? principal.id : null, decidedAt: now, disputeReason: reason })
      .where(and(eq(maintenanceRepairs.id, repair.id), eq(maintenanceRepairs.status, 'RECORDED')))
      .returning();
    if (!row) throw new AppError('REPAIR_DECIDED', { params: { status: repair.status } });
    return (await views(ctx, [row], tx))[0]!;
  });
}
