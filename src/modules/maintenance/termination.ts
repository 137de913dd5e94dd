import { and, asc, count, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/service.ts';
import type { AppContext } from '../../platform/context.ts';
import { addDaysToDate, formatShanghai, shanghaiInstant } from '../calendar/zone.ts';
import { enqueueSms } from '../notify/outbox.ts';
import { ensureRootOrg } from '../orgs/service.ts';
import { maintenanceBreaches, maintenanceContracts } from './schema.ts';
import { breachStanding } from './sla.ts';
import { maintenanceTerminationAlerts } from './staff-schema.ts';

/**
 * The termination-threshold alert (issue 5 item 8): when a contract's breaches in its term reach one
 * below the threshold (APPROACHING) and the threshold (REACHED), the duty phone is texted once per
 * level, the audit trail records it, and the breach register shows it from then on.
 */

export type TerminationLevel = 'APPROACHING' | 'REACHED';

const SIGNATURE = '【cardflow】';

/** The levels a count has reached, lowest first: a jump straight to the threshold raises both. */
export function levelsReached(breaches: number, threshold: number | null): TerminationLevel[] {
  const standing = breachStanding(breaches, threshold);
  if (standing === 'REACHED') return threshold !== null && threshold > 1 ? ['APPROACHING', 'REACHED'] : ['REACHED'];
  return standing === 'APPROACHING' ? ['APPROACHING'] : [];
}

export function terminationText(level: TerminationLevel, contractName: string, breaches: number, threshold: number): { zh: string; en: string } {
  return level === 'REACHED'
    ? {
        zh: `运维合同「${contractName}」合同期内违约已达 ${breaches} 次，达到解约阈值 ${threshold} 次，甲方可依约解除合同`,
        en: `Maintenance contract "${contractName}" has ${breaches} breaches in its term: the termination threshold of ${threshold} is reached`,
      }
    : {
        zh: `运维合同「${contractName}」合同期内违约已达 ${breaches} 次，再有 1 次即达到解约阈值 ${threshold} 次`,
        en: `Maintenance contract "${contractName}" has ${breaches} breaches in its term: one more reaches the termination threshold of ${threshold}`,
      };
}

/** Breaches registered against the contract within its term: what the termination threshold counts. */
export async function breachesInTerm(ctx: AppContext, c: Pick<typeof maintenanceContracts.$inferSelect, 'id' | 'termStart' | 'termEnd'>): Promise<number> {
  const [{ n } = { n: 0 }] = await ctx.db.orm
    .select({ n: count() })
    .from(maintenanceBreaches)
    .where(
      and(
        eq(maintenanceBreaches.contractId, c.id),
        gte(maintenanceBreaches.occurredAt, shanghaiInstant(c.termStart, 0)),
        lt(maintenanceBreaches.occurredAt, shanghaiInstant(addDaysToDate(c.termEnd, 1), 0)),
      ),
    );
  return n;
}

/** Raises the levels not raised before; answers how many it raised. Safe in several processes: the row is the once-only guard. */
export async function sweepTerminationAlerts(ctx: AppContext, now = new Date()): Promise<number> {
  const contracts = await ctx.db.orm.select().from(maintenanceContracts).where(isNotNull(maintenanceContracts.breachTerminationCount)).orderBy(asc(maintenanceContracts.name));
  let raised = 0;
  for (const c of contracts) {
    const threshold = c.breachTerminationCount!;
    const n = await breachesInTerm(ctx, c);
    for (const level of levelsReached(n, threshold)) {
      const text = terminationText(level, c.name, n, threshold);
      const phone = ctx.config.smsDutyPhone;
      const root = phone ? await ensureRootOrg(ctx) : null;
      const wrote = await ctx.db.orm.transaction(async (tx) => {
        const [row] = await tx.insert(maintenanceTerminationAlerts).values({ contractId: c.id, level, breaches: n, threshold, raisedAt: now }).onConflictDoNothing().returning();
        if (!row) return false;
        if (phone && root) {
          await enqueueSms(ctx, tx, [
            {
              phone,
              text: `${SIGNATURE}${text.zh}`,
              templateId: null,
              senderOrgId: root.id,
              category: 'NOTIFICATION' as const,
              idempotencyKey: `maintenance-termination:${c.id}:${level}`,
              quietHoursExempt: true,
              bypassWordScreen: true,
            },
          ]);
        }
        await appendAudit(
          ctx,
          {
            actorType: 'SYSTEM',
            actorName: 'breach-sweep',
            orgId: c.authorityOrgId,
            action: 'maintenance.termination.alert',
            targetType: 'maintenance_contract',
            targetId: c.id,
            outcome: 'SUCCESS',
            details: { level, breaches: n, threshold, texted: phone !== null && phone !== '' },
          },
          tx,
        );
        return true;
      });
      if (wrote) raised++;
    }
  }
  return raised;
}

/** The alerts raised for the given contracts, for the breach register. */
export async function terminationAlertsOf(ctx: AppContext, contracts: readonly { id: string; name: string }[]) {
  if (contracts.length === 0) return [];
  const rows = await ctx.db.orm
    .select()
    .from(maintenanceTerminationAlerts)
    .where(inArray(maintenanceTerminationAlerts.contractId, contracts.map((c) => c.id)))
    .orderBy(asc(maintenanceTerminationAlerts.raisedAt));
  const names = new Map(contracts.map((c) => [c.id, c.name]));
  return rows.map((r) => ({
      contractId: r.contractId,
      level: r.level,
      breaches: r.breaches,
      threshold: r.threshold,
      raisedAt: r.raisedAt.toISOString(),
      raisedAtLocal: formatShanghai(r.raisedAt),
      message: terminationText(r.level, names.get(r.contractId)!, r.breaches, r.threshold),
    }));
}
