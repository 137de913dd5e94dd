import type { Logger } from 'pino';
import { startPeriodicJob, type PeriodicJob } from '../../platform/jobs/periodic.ts';
import type { AppContext } from '../../platform/context.ts';
import { sweepTicketBreaches } from './tickets.ts';
import { sweepMissedVisits } from './visits-service.ts';
import { sweepLateReports } from './reports-service.ts';
import { sweepTerminationAlerts } from './termination.ts';

/**
 * Background work of the maintenance module: registering the breaches of faults nobody has answered in
 * time, of outlets left without a signed monthly visit once their month is over, and of reports not
 * submitted by their due date (drafting the reports of past periods on the way). An acknowledgement or fix
 * registers its own lateness when it is recorded; only a ticket that stays untouched needs someone to look
 * at the clock. Every few minutes is close enough for a register
 * counted in breaches per contract term, and the sweep is safe to run in several processes at once
 * (see sweepTicketBreaches).
 */
export const BREACH_SWEEP_INTERVAL_MS = 5 * 60_000;

/** One pass: answers how many ticket breaches, missed visits and late reports it registered, the report drafts it wrote and the termination alerts it raised. */
export async function maintenanceTick(ctx: AppContext, now: Date = new Date()): Promise<{ breaches: number; missedVisits: number; lateReports: number; reportDrafts: number; terminationAlerts: number }> {
  const breaches = await sweepTicketBreaches(ctx, now);
  const missedVisits = await sweepMissedVisits(ctx, now);
  const reports = await sweepLateReports(ctx, now);
  // After the sweeps, so that the breaches they just registered count towards the threshold.
  const terminationAlerts = await sweepTerminationAlerts(ctx, now);
  return { breaches, missedVisits, lateReports: reports.breaches, reportDrafts: reports.drafts, terminationAlerts };
}

/** Runs maintenanceTick every interval (see startPeriodicJob). */
export function startMaintenanceScheduler(ctx: AppContext, logger: Logger, intervalMs = BREACH_SWEEP_INTERVAL_MS): PeriodicJob {
  return startPeriodicJob({
    name: 'maintenance sweep',
    everyMs: intervalMs,
    run: () => maintenanceTick(ctx),
    onResult: (found) => {
      if (found.breaches + found.missedVisits + found.lateReports + found.reportDrafts + found.terminationAlerts > 0) logger.info(found, 'maintenance breaches registered');
    },
    logger,
  });
}
