import { sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';

export interface CardSlaCounts {
  productionAtRisk: number;
  productionOverdue: number;
  deliveryAtRisk: number;
  deliveryOverdue: number;
}

/**
 * Platform-wide deadline standing of the cards still on their way, for monitoring (no scope: operators see
 * counts, not cards). Same boundaries as the SLA report: overdue once the deadline has passed, at risk
 * within 24 hours of it.
 */
export async function cardSlaCounts(ctx: AppContext, now = new Date()): Promise<CardSlaCounts> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const soon = sql`${new Date(now.getTime() + 86_400_000).toISOString()}::timestamptz`;
  const [row] = await ctx.db.rows<Record<keyof CardSlaCounts, number>>(
    null,
    sql`select count(*) filter (where status = 'ORDERED' and production_due_at >= ${at} and production_due_at <= ${soon})::int as "productionAtRisk",
               count(*) filter (where status = 'ORDERED' and production_due_at < ${at})::int as "productionOverdue",
               count(*) filter (where delivery_due_at >= ${at} and delivery_due_at <= ${soon})::int as "deliveryAtRisk",
               count(*) filter (where delivery_due_at < ${at})::int as "deliveryOverdue"
          from card_attempts
         where status in ('ORDERED', 'PRODUCED', 'SHIPPED')`,
  );
  return { productionAtRisk: Number(row!.productionAtRisk), productionOverdue: Number(row!.productionOverdue), deliveryAtRisk: Number(row!.deliveryAtRisk), deliveryOverdue: Number(row!.deliveryOverdue) };
}
