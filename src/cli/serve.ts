import { createLogger } from '../platform/logging/logger.ts';
import { loadConfig } from '../platform/config/config.ts';
import { startPlatform } from '../platform/bootstrap.ts';
import { buildApp } from '../http/app.ts';
import { reportError } from './support.ts';
import { purgeExpiredSessions } from '../platform/auth/service.ts';
import { startScheduler } from '../modules/production/scheduler.ts';
import { startMaintenanceScheduler } from '../modules/maintenance/scheduler.ts';
import { startSettlementScheduler } from '../modules/settlement/scheduler.ts';
import { startBackupScheduler } from '../modules/ops/backup-jobs.ts';
import { startDutyAlertJob } from '../modules/ops/duty-alerts.ts';
import { startRetentionScheduler } from '../modules/ops/retention-jobs.ts';
import type { PeriodicJob } from '../platform/jobs/periodic.ts';
import { startSmsWorker, type SmsWorker } from '../modules/notify/worker.ts';

export async function runServe(opts: { role: 'all' | 'api' | 'worker' }): Promise<void> {
  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const ctx = await startPlatform(config, logger);
    const app = await buildApp(ctx);
    const workers: NodeJS.Timeout[] = [];
    let production: PeriodicJob | null = null;
    let maintenance: PeriodicJob | null = null;
    let settlement: PeriodicJob | null = null;
    let backups: PeriodicJob | null = null;
    let dutyAlerts: PeriodicJob | null = null;
    let retention: PeriodicJob | null = null;
    let sms: SmsWorker | null = null;
    if (opts.role !== 'api') {
      // Batch rules and data destruction; safe with several processes (each run is claimed in the database).
      production = startScheduler(ctx, logger);
      maintenance = startMaintenanceScheduler(ctx, logger);
      // Statements of billing periods that ended; the live-statement index keeps two processes from drafting one twice.
      settlement = startSettlementScheduler(ctx, logger);
      backups = startBackupScheduler(ctx, logger);
      dutyAlerts = startDutyAlertJob(ctx, logger);
      // Data minimisation and stale-file pruning; one worker of many runs it (advisory lock, due check).
      retention = startRetentionScheduler(ctx, logger);
      // SMS outbox dispatch; several processes share the queue (rows are claimed with SKIP LOCKED).
      sms = await startSmsWorker(ctx, logger);
      // Housekeeping that needs no coordination: deleting expired sessions twice is harmless.
      workers.push(setInterval(() => void purgeExpiredSessions(ctx).catch((err: unknown) => logger.error({ err }, 'session purge failed')), 10 * 60_000));
    }
    if (opts.role !== 'worker') {
      const address = await app.listen({ host: config.host, port: config.port });
      const shown = address.replace('[::1]', 'localhost');
      process.stdout.write(`\ncardflow is running (${ctx.db.engine}${ctx.db.engine === 'pglite' ? `, data in ${config.dataDir}` : ''})\n  console:  ${shown}/\n  API docs: ${shown}/docs\n\n`);
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      for (const w of workers) clearInterval(w);
      await production?.stop();
      await maintenance?.stop();
      await settlement?.stop();
      await backups?.stop();
      await dutyAlerts?.stop();
      await retention?.stop();
      await sms?.stop();
      await app.close();
      await ctx.db.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  } catch (err) {
    reportError(err);
    process.exit(1);
  }
}
