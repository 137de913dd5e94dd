import type { Logger } from 'pino';
import type { AppContext } from '../../platform/context.ts';
import { sweepTicketBreaches } from './tickets.ts';
import { sweepMissedVisits } from './visits-service.ts';

/**
 * Background work of the maintenance module: registering the breaches of faults nobody has answered
 * in time, and of outlets left without a signed monthly visit once their month is over. An acknowledgement or fix registers its own lateness when it is recorded; only a ticket that
 * stays untouched needs someone to look at the clock. Every few minutes is close enough for a register
 * counted in breaches per contract term, and the sweep is safe to run in several processes at once
 * (see sweepTicketBreaches).
 */
export const BREACH_SWEEP_INTERVAL_MS = 5 * 60_000;

/** One pass: answers how many ticket breaches and missed visits it registered. */
export async function maintenanceTick(ctx: AppContext, now: Date = new Date()): Promise<{ breaches: number; missedVisits: number }> {
  return { breaches: await sweepTicketBreaches(ctx, now), missedVisits: await sweepMissedVisits(ctx, now) };
}

export interface MaintenanceScheduler {
  stop(): Promise<void>;
}

/** Runs maintenanceTick every interval; stop() clears the timer and waits for a pass in progress. */
export function startMaintenanceScheduler(ctx: AppContext, logger: Logger, intervalMs = BREACH_SWEEP_INTERVAL_MS): MaintenanceScheduler {
  let current: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (current || stopped) return;
    current = maintenanceTick(ctx)
      .then(({ breaches, missedVisits }) => {
        if (breaches + missedVisits > 0) logger.info({ breaches, missedVisits }, 'maintenance breaches registered');
      })
      .catch((err: unknown) => logger.error({ err }, 'maintenance breach sweep failed'))
      .finally(() => {
        current = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (current) await current;
    },
  };
}
