import { count, gte, ne } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { maintenanceBreaches, maintenanceTickets } from './schema.ts';
import { staffWarnings } from './staff-service.ts';

/** Open fault tickets by state, breaches registered in the last 24 hours by kind, and staffing warnings, for monitoring. */
export async function maintenanceCounts(
  ctx: AppContext,
  now = new Date(),
): Promise<{ openTickets: Record<string, number>; breaches24h: Record<string, number>; staff: { contractsUnderstaffed: number; postsUncoveredNow: number } }> {
  const open = await ctx.db.orm.select({ status: maintenanceTickets.status, n: count() }).from(maintenanceTickets).where(ne(maintenanceTickets.status, 'CLOSED')).groupBy(maintenanceTickets.status);
  const breaches = await ctx.db.orm
    .select({ kind: maintenanceBreaches.kind, n: count() })
    .from(maintenanceBreaches)
    .where(gte(maintenanceBreaches.detectedAt, new Date(now.getTime() - 86_400_000)))
    .groupBy(maintenanceBreaches.kind);
  return {
    openTickets: Object.fromEntries(open.map((r) => [r.status, r.n])),
    breaches24h: Object.fromEntries(breaches.map((r) => [r.kind, r.n])),
    staff: await staffWarnings(ctx, now),
  };
}
