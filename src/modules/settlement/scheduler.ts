import type { Logger } from 'pino';
import { appendAudit } from '../../platform/audit/service.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { startPeriodicJob, type PeriodicJob } from '../../platform/jobs/periodic.ts';
import { shanghaiDate } from '../calendar/zone.ts';
import { insertDraft, periodsToDraft } from './statements.ts';

/**
 * Period-end drafting: once a billing period is over, its statement is drafted from what was recorded,
 * ready for review. A period the statement cannot be built for (e.g. a card of a lot the contract has
 * no price for) is logged and tried again on the next run; one whose statement another process drafted
 * meanwhile is simply skipped (the live-statement unique index decides).
 */
export const PERIOD_END_INTERVAL_MS = 60 * 60_000;
export const PERIOD_END_ACTOR = 'SYSTEM:period-end';

export async function periodEndTick(ctx: AppContext, logger: Logger, now: Date = new Date()): Promise<{ drafted: number; failed: number }> {
  let drafted = 0;
  let failed = 0;
  for (const p of await periodsToDraft(ctx, shanghaiDate(now))) {
    try {
      const row = await insertDraft(ctx, PERIOD_END_ACTOR, p.contract, p.start, p.end);
      await appendAudit(ctx, {
        actorType: 'SYSTEM',
        actorName: 'period-end drafting',
        action: 'settlement.statement.draft',
        targetType: 'settlement_statement',
        targetId: row.id,
        outcome: 'SUCCESS',
        details: { contract: p.contract.code, periodStart: p.start, periodEnd: p.end, netPayableFen: row.netPayableFen },
      });
      drafted++;
    } catch (err) {
      if (err instanceof AppError && err.code === 'SETTLEMENT_STATEMENT_EXISTS') continue;
      failed++;
      logger.warn({ err, contract: p.contract.code, periodStart: p.start, periodEnd: p.end }, 'settlement statement could not be drafted');
    }
  }
  return { drafted, failed };
}

export function startSettlementScheduler(ctx: AppContext, logger: Logger, intervalMs = PERIOD_END_INTERVAL_MS): PeriodicJob {
  return startPeriodicJob({
    name: 'settlement period-end drafting',
    everyMs: intervalMs,
    firstAfterMs: 60_000,
    run: () => periodEndTick(ctx, logger),
    onResult: (r) => {
      if (r.drafted + r.failed > 0) logger.info(r, 'settlement statements drafted at period end');
    },
    logger,
  });
}
