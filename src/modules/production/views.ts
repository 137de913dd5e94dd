import { and, asc, count, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { orgIdsInScope, orgsByIds } from '../orgs/service.ts';
import { applications } from '../applications/schema.ts';
import { cardAttempts } from '../cards/schema.ts';
import { countWaitingForProduction } from '../applications/progress.ts';
import { remakesDue } from '../cards/service.ts';
import { listProgrammes, programmeIdsRunBy, programmeSummaries } from '../programmes/service.ts';
import { productionBatches, type BatchStatus } from './schema.ts';
import { slaStanding } from './rules.ts';

export type BatchRow = typeof productionBatches.$inferSelect;

/**
 * Which batches a principal sees: authorities those of programmes run in their subtree (and of
 * producers in it), everybody else only batches addressed to their own organisation.
 */
export function batchVisible(ctx: AppContext, principal: Principal, q: Queryable = ctx.db.orm): SQL {
  if (principal.scope === 'subtree') {
    return or(inArray(productionBatches.programmeId, programmeIdsRunBy(ctx, principal, q)), inArray(productionBatches.producerOrgId, orgIdsInScope(ctx, principal, q)))!;
  }
  return eq(productionBatches.producerOrgId, principal.orgId);
}

/** The batch if the principal may see it; otherwise OUT_OF_SCOPE, like a missing one. */
export async function getBatchRow(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<BatchRow> {
  const [row] = await q.select().from(productionBatches).where(and(eq(productionBatches.id, id), batchVisible(ctx, principal, q)));
  if (!row) throw new AppError('OUT_OF_SCOPE');
  return row;
}

/** Programme and producer names for batch views. */
export async function batchNames(ctx: AppContext, q: Queryable, rows: BatchRow[]) {
  const progs = await programmeSummaries(
    ctx,
    rows.map((r) => r.programmeId),
    q,
  );
  const orgs = await orgsByIds(
    ctx,
    rows.map((r) => r.producerOrgId),
    q,
  );
  return { progs, orgs: new Map([...orgs].map(([id, o]) => [id, o.name])) };
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function batchSummary(b: BatchRow, n: Awaited<ReturnType<typeof batchNames>>, now: Date) {
  return {
    id: b.id,
    batchNo: b.batchNo,
    programmeId: b.programmeId,
    programmeName: n.progs.get(b.programmeId)?.name ?? '',
    programmeKind: n.progs.get(b.programmeId)?.kind ?? '',
    producerOrgId: b.producerOrgId,
    producerName: n.orgs.get(b.producerOrgId) ?? '',
    status: b.status,
    cardCount: b.cardCount,
    createdBy: b.createdBy,
    ruleId: b.ruleId,
    createdAt: b.createdAt.toISOString(),
    dataReleasedAt: b.dataReleasedAt.toISOString(),
    firstDownloadedAt: iso(b.firstDownloadedAt),
    productionDueAt: b.productionDueAt.toISOString(),
    deliveryDueAt: iso(b.deliveryDueAt),
    completedAt: iso(b.completedAt),
    destroyAfter: iso(b.destroyAfter),
    destroyedAt: iso(b.destroyedAt),
    sla: slaStanding(b.productionDueAt, b.completedAt, now),
  };
}

export interface BatchFilter {
  programmeId?: string;
  producerOrgId?: string;
  status?: BatchStatus;
  limit?: number;
  offset?: number;
}

export async function listBatches(ctx: AppContext, principal: Principal, f: BatchFilter, now = new Date()) {
  const where = [batchVisible(ctx, principal)];
  if (f.programmeId) where.push(eq(productionBatches.programmeId, f.programmeId));
  if (f.producerOrgId) where.push(eq(productionBatches.producerOrgId, f.producerOrgId));
  if (f.status) where.push(eq(productionBatches.status, f.status));
  const cond = and(...where);
  const [rows, [total]] = await Promise.all([
    ctx.db.orm
      .select()
      .from(productionBatches)
      .where(cond)
      .orderBy(desc(productionBatches.createdAt), desc(productionBatches.batchNo))
      .limit(f.limit ?? 50)
      .offset(f.offset ?? 0),
    ctx.db.orm.select({ n: count() }).from(productionBatches).where(cond),
  ]);
  const n = await batchNames(ctx, ctx.db.orm, rows);
  return { items: rows.map((b) => batchSummary(b, n, now)), total: total?.n ?? 0 };
}

export async function batchDetail(ctx: AppContext, principal: Principal, id: string, now = new Date()) {
  const b = await getBatchRow(ctx, principal, id);
  const n = await batchNames(ctx, ctx.db.orm, [b]);
  const counts = await ctx.db.orm
    .select({ status: cardAttempts.status, n: count() })
    .from(cardAttempts)
    .where(eq(cardAttempts.batchId, b.id))
    .groupBy(cardAttempts.status);
  return { ...batchSummary(b, n, now), cardsByStatus: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Record<string, number> };
}

export async function batchCards(ctx: AppContext, principal: Principal, id: string, page: { limit?: number; offset?: number }) {
  const b = await getBatchRow(ctx, principal, id);
  const rows = await ctx.db.orm
    .select({
      id: cardAttempts.id,
      packingSeq: cardAttempts.packingSeq,
      applicationId: cardAttempts.applicationId,
      applicationNo: applications.applicationNo,
      nameMasked: applications.nameMasked,
      attemptNo: cardAttempts.attemptNo,
      status: cardAttempts.status,
      cardNo: cardAttempts.cardNo,
      receiverOrgId: cardAttempts.receiverOrgId,
      productionDueAt: cardAttempts.productionDueAt,
      deliveryDueAt: cardAttempts.deliveryDueAt,
      producedAt: cardAttempts.producedAt,
      recordSm3: cardAttempts.recordSm3,
    })
    .from(cardAttempts)
    .innerJoin(applications, eq(applications.id, cardAttempts.applicationId))
    .where(eq(cardAttempts.batchId, b.id))
    .orderBy(asc(cardAttempts.packingSeq))
    .limit(page.limit ?? 50)
    .offset(page.offset ?? 0);
  return {
    total: b.cardCount,
    items: rows.map((r) => ({
      ...r,
      packingSeq: r.packingSeq ?? 0,
      productionDueAt: iso(r.productionDueAt),
      deliveryDueAt: iso(r.deliveryDueAt),
      producedAt: iso(r.producedAt),
    })),
  };
}

/** How many applications wait for production per programme the principal sees, and remakes owed per producer. */
export async function waitingCounts(ctx: AppContext, principal: Principal, programmeId?: string) {
  const progs = (await listProgrammes(ctx, principal)).filter((p) => !programmeId || p.id === programmeId);
  const out = [];
  for (const p of progs) {
    const waiting = await countWaitingForProduction(ctx.db.orm, p.id, p.kind);
    const remakes = [];
    for (const producer of p.producers) {
      remakes.push({ producerOrgId: producer.id, producerName: producer.name, remakes: (await remakesDue(ctx, ctx.db.orm, p.id, producer.id, 1_000_000)).size });
    }
    out.push({ programmeId: p.id, programmeName: p.name, programmeKind: p.kind, waiting, producers: remakes });
  }
  return out;
}
