import { and, asc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { appendAudit } from '../../platform/audit/service.ts';
import { batchRecords, productionBatches } from './schema.ts';

export interface DestructionResult {
  batches: { id: string; batchNo: string; records: number; photos: number }[];
  vacuumed: boolean;
}

/**
 * Destroys the personalisation data of completed batches whose retention has ended: per batch, in
 * one transaction, the batch is claimed by a conditional UPDATE (COMPLETED → DESTROYED, so two
 * processes never both do it), its batch_records rows are deleted and the destruction is audited
 * with counts. Only the SM3 digests on the cards remain. Afterwards batch_records is vacuumed, so
 * the deleted tuples do not linger in the table's pages.
 */
export async function destroyExpiredBatches(ctx: AppContext, now: Date = new Date(), limit = 100): Promise<DestructionResult> {
  const due = await ctx.db.orm
    .select({ id: productionBatches.id })
    .from(productionBatches)
    .where(and(eq(productionBatches.status, 'COMPLETED'), lte(productionBatches.destroyAfter, now)))
    .orderBy(asc(productionBatches.destroyAfter))
    .limit(limit);
  const out: DestructionResult = { batches: [], vacuumed: false };
  for (const { id } of due) {
    const done = await ctx.db.orm.transaction(async (tx) => {
      const [claimed] = await tx
        .update(productionBatches)
        .set({ status: 'DESTROYED', destroyedAt: now })
        .where(and(eq(productionBatches.id, id), eq(productionBatches.status, 'COMPLETED')))
        .returning();
      if (!claimed) return null;
      const deleted = await tx.delete(batchRecords).where(eq(batchRecords.batchId, id)).returning({ photo: sql<boolean>`${batchRecords.photoEnc} is not null` });
      const result = { id, batchNo: claimed.batchNo, records: deleted.length, photos: deleted.filter((d) => d.photo).length };
      await appendAudit(
        ctx,
        {
          actorType: 'SYSTEM',
          actorName: 'system',
          action: 'batch.data.destroy',
          targetType: 'batch',
          targetId: id,
          outcome: 'SUCCESS',
          details: { batchNo: claimed.batchNo, records: result.records, photos: result.photos, completedAt: claimed.completedAt?.toISOString() ?? null, destroyAfter: claimed.destroyAfter?.toISOString() ?? null },
        },
        tx,
      );
      return result;
    });
    if (done) out.batches.push(done);
  }
  if (out.batches.length > 0) {
    // VACUUM cannot run inside a transaction; on both engines it reclaims the deleted tuples' space.
    await ctx.db.rows(null, sql`vacuum batch_records`);
    out.vacuumed = true;
  }
  return out;
}

/** How many completed batches' personalisation data is due for destruction (the retention dry run). */
export async function expiredBatchCount(ctx: AppContext, now: Date = new Date()): Promise<{ batches: number; records: number }> {
  const [row] = await ctx.db.orm
    .select({ batches: sql<number>`count(distinct ${productionBatches.id})::int`, records: sql<number>`count(${batchRecords.batchId})::int` })
    .from(productionBatches)
    .leftJoin(batchRecords, eq(batchRecords.batchId, productionBatches.id))
    .where(and(eq(productionBatches.status, 'COMPLETED'), lte(productionBatches.destroyAfter, now)));
  return { batches: Number(row?.batches ?? 0), records: Number(row?.records ?? 0) };
}

/** Batches whose data was destroyed in [since, until): the production scheduler's share of a retention report. */
export async function destroyedBatchCount(ctx: AppContext, since: Date, until: Date): Promise<number> {
  const [row] = await ctx.db.orm
    .select({ n: sql<number>`count(*)::int` })
    .from(productionBatches)
    .where(and(eq(productionBatches.status, 'DESTROYED'), gte(productionBatches.destroyedAt, since), lt(productionBatches.destroyedAt, until)));
  return Number(row?.n ?? 0);
}
