import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { queueEndorsementNotices } from '../reports/notices.ts';
import type { Logger } from 'pino';
import { startPeriodicJob, type PeriodicJob } from '../../platform/jobs/periodic.ts';
import type { AppContext } from '../../platform/context.ts';
import { appendAudit } from '../../platform/audit/service.ts';
import { principalFor } from '../../platform/auth/service.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { findOrg } from '../orgs/service.ts';
import { programmes } from '../programmes/schema.ts';
import { countWaitingForProduction } from '../applications/progress.ts';
import { remakesDue } from '../cards/service.ts';
import { shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { batchRules } from './schema.ts';
import { createBatches } from './batches.ts';
import { destroyExpiredBatches } from './retention.ts';
import type { BatchRuleRow } from './batch-rules.ts';

export const SCHEDULER_INTERVAL_MS = 30_000;
/** A waiting-count rule fires at most once a minute, so two processes a few seconds apart do not both fire it. */
export const WAITING_RULE_MIN_GAP_MS = 60_000;

export interface RuleRun {
  ruleId: string;
  trigger: 'DAILY' | 'WAITING';
  waiting: number;
  batches: string[];
  cards: number;
  error?: string;
}

/** The instant today's daily run is due (Asia/Shanghai), or null for a rule without a daily time. */
export function dailyDueAt(rule: Pick<BatchRuleRow, 'dailyAtMinute'>, now: Date): Date | null {
  return rule.dailyAtMinute === null ? null : shanghaiInstant(shanghaiDate(now), rule.dailyAtMinute);
}

/**
 * Claims a rule run for this process: a conditional UPDATE on last_run_at that only one process can
 * win for a given due time (the row lock serialises them; the loser sees the new last_run_at and
 * matches nothing). No in-process state decides who runs.
 */
async function claim(ctx: AppContext, ruleId: string, notRunSince: Date, now: Date): Promise<boolean> {
  const rows = await ctx.db.orm
    .update(batchRules)
    .set({ lastRunAt: now })
    .where(and(eq(batchRules.id, ruleId), eq(batchRules.enabled, true), or(isNull(batchRules.lastRunAt), lt(batchRules.lastRunAt, notRunSince))))
    .returning({ id: batchRules.id });
  return rows.length === 1;
}

/** Runs every enabled rule that is due at `now` (at most once per due time across all processes), each run audited with counts. */
export async function runDueRules(ctx: AppContext, now: Date = new Date()): Promise<RuleRun[]> {
  const rules = await ctx.db.orm.select().from(batchRules).where(eq(batchRules.enabled, true));
  const runs: RuleRun[] = [];
  for (const rule of rules) {
    const [programme] = await ctx.db.orm.select().from(programmes).where(eq(programmes.id, rule.programmeId));
    if (!programme) continue;
    const daily = dailyDueAt(rule, now);
    const waiting = (await countWaitingForProduction(ctx.db.orm, programme.id, programme.kind)) + (await remakesDue(ctx, ctx.db.orm, programme.id, rule.producerOrgId, 1_000_000)).size;
    let trigger: RuleRun['trigger'] | null = null;
    let notRunSince: Date | null = null;
    // A rule created after today's time first runs tomorrow: the baseline is its last run, or its creation.
    const since = rule.lastRunAt ?? rule.createdAt;
    if (daily && now.getTime() >= daily.getTime() && since.getTime() < daily.getTime()) {
      trigger = 'DAILY';
      notRunSince = daily;
    } else if (rule.whenWaiting !== null && waiting >= rule.whenWaiting) {
      trigger = 'WAITING';
      notRunSince = new Date(now.getTime() - WAITING_RULE_MIN_GAP_MS);
    }
    if (!trigger || !notRunSince) continue;
    if (!(await claim(ctx, rule.id, notRunSince, now))) continue;
    const run: RuleRun = { ruleId: rule.id, trigger, waiting, batches: [], cards: 0 };
    const authority = await findOrg(ctx, programme.authorityOrgId);
    try {
      if (!authority) throw new AppError('OUT_OF_SCOPE');
      const principal = principalFor({ id: rule.id, username: `batch-rule:${rule.id.slice(0, 8)}`, roles: ['AUTHORITY_MANAGER'] }, authority, 'SYSTEM');
      if (waiting > 0) {
        const made = await createBatches(ctx, principal, { programmeId: programme.id, producerOrgId: rule.producerOrgId, ruleId: rule.id });
        run.batches = made.map((b) => b.batchNo);
        run.cards = made.reduce((n, b) => n + b.cardCount, 0);
      }
    } catch (err) {
      run.error = err instanceof AppError ? err.code : (err as Error).message;
    }
    await appendAudit(ctx, {
      actorType: 'SYSTEM',
      actorName: 'scheduler',
      orgId: programme.authorityOrgId,
      action: 'batch.rule.run',
      targetType: 'batch_rule',
      targetId: rule.id,
      outcome: run.error ? 'FAILED' : 'SUCCESS',
      details: { trigger, waiting, batches: run.batches.length, batchNos: run.batches, cards: run.cards, ...(run.error ? { error: run.error } : {}) },
    });
    runs.push(run);
  }
  return runs;
}

/**
 * Endorsement-due notices are looked for once an hour. The run is idempotent (one notice per
 * application and year, by key), so two processes doing it in the same hour only repeat a query.
 */
export const ENDORSEMENT_SCAN_GAP_MS = 3_600_000;
let lastEndorsementScan = 0;

/** One pass of the card lifecycle background work: due batch rules, data destruction, endorsement notices. */
export async function schedulerTick(ctx: AppContext, now: Date = new Date()) {
  const rules = await runDueRules(ctx, now);
  const destroyed = await destroyExpiredBatches(ctx, now);
  let endorsementNotices = 0;
  if (now.getTime() - lastEndorsementScan >= ENDORSEMENT_SCAN_GAP_MS) {
    lastEndorsementScan = now.getTime();
    endorsementNotices = await queueEndorsementNotices(ctx, now);
  }
  return { rules, destroyed, endorsementNotices };
}

/** Runs schedulerTick every 30 s (see startPeriodicJob). */
export function startScheduler(ctx: AppContext, logger: Logger, intervalMs = SCHEDULER_INTERVAL_MS): PeriodicJob {
  return startPeriodicJob({ name: 'production scheduler', everyMs: intervalMs, run: () => schedulerTick(ctx), logger });
}
