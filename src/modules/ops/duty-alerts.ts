import type { Logger } from 'pino';
import type { AppContext } from '../../platform/context.ts';
import { startPeriodicJob, type PeriodicJob } from '../../platform/jobs/periodic.ts';
import { enqueueSms } from '../notify/outbox.ts';
import { ensureRootOrg } from '../orgs/service.ts';
import type { Alert } from './alert-rules.ts';
import { systemStatus } from './status.ts';

const SIGNATURE = '【cardflow】';

/** The hour an alert SMS belongs to (UTC hour, e.g. 2026-12-02T00): one message per code and hour. */
export function alertHourSlot(now: Date): string {
  return now.toISOString().slice(0, 13);
}

/**
 * Queues one SMS per alert code and hour to the duty phone (CARDFLOW_SMS_DUTY_PHONE). The idempotency key
 * carries the hour, so several workers checking at once, or every check within the hour, send it once.
 * Returns how many messages were newly queued.
 */
export async function notifyDutyPhone(ctx: AppContext, alerts: readonly Alert[], now: Date = new Date()): Promise<number> {
  const phone = ctx.config.smsDutyPhone;
  // Held messages text the duty phone themselves, every ten minutes (notify/words-holds.ts).
  const texted = alerts.filter((a) => a.code !== 'SMS_HELD');
  if (!phone || texted.length === 0) return 0;
  const root = await ensureRootOrg(ctx);
  const slot = alertHourSlot(now);
  const results = await enqueueSms(
    ctx,
    ctx.db.orm,
    texted.map((a) => ({
      phone,
      text: `${SIGNATURE}${a.message.zh}`,
      templateId: null,
      senderOrgId: root.id,
      category: 'NOTIFICATION' as const,
      idempotencyKey: `ops-alert:${a.code}:${slot}`,
      // The duty phone exists to be woken at night; an alert is never held for review.
      quietHoursExempt: true,
      bypassWordScreen: true,
    })),
  );
  return results.filter((r) => r.created).length;
}

const CHECK_EVERY_MS = 5 * 60_000;

/** Evaluates the alerts every five minutes and texts new ones to the duty phone; nothing to do without one. */
export function startDutyAlertJob(ctx: AppContext, logger: Logger, everyMs = CHECK_EVERY_MS): PeriodicJob {
  return startPeriodicJob({
    name: 'duty alerts',
    everyMs,
    run: async () => {
      if (!ctx.config.smsDutyPhone) return 0;
      const now = new Date();
      return notifyDutyPhone(ctx, (await systemStatus(ctx, now)).alerts, now);
    },
    onResult: (queued) => {
      if (queued > 0) logger.warn({ queued }, 'alerts sent to the duty phone');
    },
    logger,
  });
}
