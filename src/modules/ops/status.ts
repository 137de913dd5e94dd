import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { desc, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.ts';
import { jobRunCounts } from '../../platform/metrics.ts';
import { pendingNoticeCount } from '../applications/outbox-stats.ts';
import { shanghaiDate } from '../calendar/zone.ts';
import { listYears } from '../calendar/service.ts';
import { cardSlaCounts } from '../cards/sla-counts.ts';
import { maintenanceCounts } from '../maintenance/monitoring.ts';
import { smsStatusCounts } from '../notify/messages-query.ts';
import { inDoubtSmsCount, oldestQueuedSmsAt } from '../notify/queue-age.ts';
import { evaluateAlerts, type DiskFigure } from './alert-rules.ts';
import { lastSuccessfulBackup } from './backup-jobs.ts';
import { lastRetentionRuns } from './retention-jobs.ts';
import { opsBackups } from './schema.ts';

const DAY_MS = 86_400_000;

export interface DiskStatus extends DiskFigure {
  path: string;
  /** Why the figures are missing (the directory does not exist yet, …); null when they were read. */
  error: string | null;
}

/** The directory itself, or while it does not exist yet (no backup taken), the nearest ancestor that does: same disk. */
function existingDir(dir: string): string {
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

async function diskOf(name: string, path: string): Promise<DiskStatus> {
  try {
    const s = await statfs(existingDir(path));
    return { name, path, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize, error: null };
  } catch (err) {
    return { name, path, freeBytes: 0, totalBytes: 0, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

async function lastFailedBackup(ctx: AppContext) {
  const [row] = await ctx.db.orm.select().from(opsBackups).where(eq(opsBackups.status, 'FAILED')).orderBy(desc(opsBackups.startedAt)).limit(1);
  return row ?? null;
}

async function databaseFacts(ctx: AppContext) {
  const [version] = await ctx.db.rows<{ v: string }>(null, sql`select current_setting('server_version') as v`);
  const [applied] = await ctx.db.rows<{ n: number }>(null, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return { engine: ctx.db.engine, version: version?.v ?? '', migrationsApplied: Number(applied?.n ?? 0), migrationsComplete: await ctx.db.migrationsApplied() };
}

function keyFacts(ctx: AppContext, now: Date) {
  const active = ctx.keyring.active;
  const ageDays = Math.floor((now.getTime() - Date.parse(active.createdAt)) / DAY_MS);
  return { activeKeyId: active.id, activeKeyCreatedAt: active.createdAt, activeKeyAgeDays: ageDays, keyCount: ctx.keyring.keyIds().length, blindIndexKey: ctx.keyring.blindIndexKey.length > 0 };
}

const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/**
 * Everything an operator checks at 2 a.m. on one page, with the alerts the figures call for. Reads the
 * same building blocks as /metrics; nothing here is cached, the page asks twice a minute at most.
 */
export async function systemStatus(ctx: AppContext, now: Date = new Date()) {
  const disks = [...(ctx.db.engine === 'pglite' ? [diskOf('data', ctx.config.dataDir)] : []), diskOf('backup', ctx.config.backupDir)];
  const [database, notices, sms, oldestQueued, inDoubt, jobs, backup, failed, years, sla, maintenance, diskList, retention] = await Promise.all([
    databaseFacts(ctx),
    pendingNoticeCount(ctx),
    smsStatusCounts(ctx),
    oldestQueuedSmsAt(ctx),
    inDoubtSmsCount(ctx, now),
    jobRunCounts(),
    lastSuccessfulBackup(ctx),
    lastFailedBackup(ctx),
    listYears(ctx),
    cardSlaCounts(ctx, now),
    maintenanceCounts(ctx, now),
    Promise.all(disks),
    lastRetentionRuns(ctx),
  ]);
  const uptimeSeconds = Math.floor(process.uptime());
  const thisYear = Number(shanghaiDate(now).slice(0, 4));
  const published = (y: number) => years.some((r) => r.year === y && r.published);
  const keys = keyFacts(ctx, now);
  const breaches24h = Object.values(maintenance.breaches24h).reduce((a, b) => a + b, 0);
  const alerts = evaluateAlerts({
    now,
    uptimeSeconds,
    oldestQueuedSmsAt: oldestQueued,
    smsInDoubt: inDoubt,
    backupIntervalHours: ctx.config.backupIntervalHours,
    lastBackupAt: backup?.startedAt ?? null,
    cardsOverdue: sla.productionOverdue + sla.deliveryOverdue,
    maintenanceBreaches24h: breaches24h,
    maintenanceUnderstaffed: maintenance.staff.contractsUnderstaffed,
    maintenancePostsUncovered: maintenance.staff.postsUncoveredNow,
    smsHeld: sms.HELD ?? 0,
    nextYearPublished: published(thisYear + 1),
    activeKeyCreatedAt: new Date(keys.activeKeyCreatedAt),
    disks: diskList.filter((d) => d.error === null),
  });
  return {
    checkedAt: now.toISOString(),
    service: { ...database, uptimeSeconds, nodeVersion: process.version, pid: process.pid },
    queues: {
      noticesPending: notices,
      sms: { byStatus: sms, inDoubt, oldestQueuedAt: isoOrNull(oldestQueued), oldestQueuedAgeSeconds: oldestQueued ? Math.max(0, Math.floor((now.getTime() - oldestQueued.getTime()) / 1000)) : null },
    },
    jobs,
    backup: {
      intervalHours: ctx.config.backupIntervalHours,
      lastSuccessAt: isoOrNull(backup?.startedAt),
      lastSuccessBytes: backup?.bytes ?? null,
      lastSuccessAgeSeconds: backup ? Math.floor((now.getTime() - backup.startedAt.getTime()) / 1000) : null,
      lastFailureAt: isoOrNull(failed?.startedAt),
      lastFailureError: failed?.error ?? null,
    },
    retention: {
      intervalHours: ctx.config.retentionIntervalHours,
      lastRunAt: isoOrNull(retention.last?.startedAt),
      lastRunDryRun: retention.last?.dryRun ?? null,
      lastRunCounts: retention.last?.counts ?? null,
      lastFailureAt: isoOrNull(retention.failed?.startedAt),
      lastFailureError: retention.failed?.error ?? null,
    },
    sla: { ...sla, maintenanceBreaches24h: breaches24h },
    calendar: [thisYear, thisYear + 1].map((year) => ({ year, published: published(year) })),
    keys,
    disks: diskList,
    alerts,
  };
}

export type SystemStatus = Awaited<ReturnType<typeof systemStatus>>;
