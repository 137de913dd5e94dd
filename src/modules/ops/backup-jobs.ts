import { desc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { startPeriodicJob, type PeriodicJob } from '../../platform/jobs/periodic.ts';
import { appendAudit } from '../../platform/audit/service.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { createBackup, pruneBackups, type BackupResult } from './backup-service.ts';
import { opsBackups } from './schema.ts';

type Trigger = (typeof opsBackups.$inferInsert)['trigger'];

/** Takes a backup into the configured directory and records it (row and audit entry), whether it worked or not. */
export async function runBackup(ctx: AppContext, trigger: Trigger, dir = ctx.config.backupDir, now: Date = new Date()): Promise<BackupResult> {
  const startedAt = new Date();
  try {
    const result = await createBackup(ctx, dir, now);
    const tableCount = Object.keys(result.manifest.tables).length;
    const [row] = await ctx.db.orm
      .insert(opsBackups)
      .values({ trigger, status: 'SUCCEEDED', engine: ctx.db.engine, startedAt, finishedAt: new Date(), manifestPath: result.manifestPath, bytes: result.manifest.payload.bytes, tableCount })
      .returning({ id: opsBackups.id });
    await appendAudit(ctx, {
      actorType: trigger === 'CLI' ? 'CLI' : 'SYSTEM',
      actorName: trigger === 'CLI' ? 'cli' : 'scheduler',
      action: 'ops.backup',
      targetType: 'backup',
      targetId: row!.id,
      outcome: 'SUCCESS',
      details: { manifest: result.manifestPath, bytes: result.manifest.payload.bytes, tables: tableCount },
    });
    return result;
  } catch (err) {
    const reason = err instanceof AppError ? `${err.code}: ${err.messageIn('en-US')}` : (err as Error).message;
    await ctx.db.orm.insert(opsBackups).values({ trigger, status: 'FAILED', engine: ctx.db.engine, startedAt, finishedAt: new Date(), error: reason.slice(0, 2000) });
    await appendAudit(ctx, { actorType: trigger === 'CLI' ? 'CLI' : 'SYSTEM', actorName: trigger === 'CLI' ? 'cli' : 'scheduler', action: 'ops.backup', targetType: 'backup', outcome: 'FAILED', details: { reason } });
    throw err;
  }
}

/** The newest successful backup, for the status page and for the schedule. */
export async function lastSuccessfulBackup(ctx: AppContext) {
  const [row] = await ctx.db.orm.select().from(opsBackups).where(eq(opsBackups.status, 'SUCCEEDED')).orderBy(desc(opsBackups.startedAt)).limit(1);
  return row ?? null;
}

/** Whether a scheduled backup is due: none yet, or the last successful one is at least an interval old. */
export function backupDue(intervalHours: number, lastAt: Date | null, now: Date): boolean {
  if (intervalHours <= 0) return false;
  return lastAt === null || now.getTime() - lastAt.getTime() >= intervalHours * 3_600_000;
}

// Fixed key of the advisory lock that lets one worker of many take the scheduled backup.
const BACKUP_LOCK = 7283520;

/**
 * One scheduled check. On PostgreSQL the session-level advisory lock keeps two workers from dumping at
 * once, and the due check is repeated under the lock, so a backup another worker just finished counts.
 */
export async function backupIfDue(ctx: AppContext, now: Date = new Date()): Promise<BackupResult | null> {
  if (!backupDue(ctx.config.backupIntervalHours, (await lastSuccessfulBackup(ctx))?.startedAt ?? null, now)) return null;
  const client = ctx.db.pool ? await ctx.db.pool.connect() : null;
  try {
    if (client) {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [BACKUP_LOCK]);
      if (!rows[0]!.locked) return null;
      if (!backupDue(ctx.config.backupIntervalHours, (await lastSuccessfulBackup(ctx))?.startedAt ?? null, now)) return null;
    }
    const result = await runBackup(ctx, 'SCHEDULED', ctx.config.backupDir, now);
    const removed = pruneBackups(ctx.config.backupDir, ctx.config.backupKeep);
    if (removed.length > 0) ctx.logger.info({ removed }, 'old backups deleted');
    return result;
  } finally {
    if (client) {
      await client.query('select pg_advisory_unlock($1)', [BACKUP_LOCK]).catch(() => undefined);
      client.release();
    }
  }
}

// Checking every ten minutes puts a daily backup within ten minutes of its time.
const CHECK_EVERY_MS = 10 * 60_000;

/** Checks for a due backup a minute after start and every ten minutes; stop() waits for a backup in progress. */
export function startBackupScheduler(ctx: AppContext, logger: Logger, everyMs = CHECK_EVERY_MS): PeriodicJob {
  return startPeriodicJob({
    name: 'scheduled backup',
    everyMs,
    firstAfterMs: 60_000,
    run: () => backupIfDue(ctx),
    onResult: (r) => {
      if (r) logger.info({ manifest: r.manifestPath, bytes: r.manifest.payload.bytes }, 'scheduled backup written');
    },
    logger,
  });
}
