import { readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendAudit } from '../../platform/audit/service.ts';
import { countRequestWindowsBefore, pruneRequestCounters } from '../../platform/auth/rate-limit.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { startPeriodicJob, type PeriodicJob } from '../../platform/jobs/periodic.ts';
import { minimiseClosedApplications } from '../applications/minimise.ts';
import { destroyedBatchCount, destroyExpiredBatches, expiredBatchCount } from '../production/retention.ts';
import { closedApplicationRetentions } from '../programmes/service.ts';
import { closedRetentionCutoff, counterCutoff, retentionDue, staleBackupFiles, staleRestoreDirs, type FileEntry } from './retention-rules.ts';
import { opsRetentionRuns } from './schema.ts';

type Trigger = (typeof opsRetentionRuns.$inferInsert)['trigger'];

/** What one run removed (in a dry run: what it would have removed). Flat, so it fits the run row and the audit entry. */
export interface RetentionCounts {
  personalisationBatches: number;
  personalisationRecords: number;
  /** Destroyed by the production scheduler (every 30 s) since the previous run: part of the same report. */
  personalisationBatchesBySchedulerSincePrevious: number;
  applicationsMinimised: number;
  applicationPhotosDeleted: number;
  partialBackupFiles: number;
  restoreTempDirs: number;
  fileBytes: number;
  counterWindows: number;
}

export interface RetentionReport {
  id: string;
  dryRun: boolean;
  startedAt: Date;
  counts: RetentionCounts;
}

function entriesOf(dir: string): (FileEntry & { bytes: number })[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: (FileEntry & { bytes: number })[] = [];
  for (const name of names) {
    try {
      const s = statSync(path.join(dir, name));
      out.push({ name, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory(), bytes: s.isDirectory() ? 0 : s.size });
    } catch {
      // Gone between readdir and stat: nothing to delete.
    }
  }
  return out;
}

/** Deletes (or, in a dry run, only finds) the stale files cardflow itself leaves behind. */
function pruneFiles(ctx: AppContext, now: Date, dryRun: boolean, tempDir: string) {
  const backups = entriesOf(ctx.config.backupDir);
  const partials = staleBackupFiles(backups, now);
  const restores = staleRestoreDirs(entriesOf(tempDir), now);
  const bytes = backups.filter((e) => partials.includes(e.name)).reduce((a, e) => a + e.bytes, 0);
  if (!dryRun) {
    for (const name of partials) rmSync(path.join(ctx.config.backupDir, name), { force: true });
    for (const name of restores) rmSync(path.join(tempDir, name), { recursive: true, force: true });
  }
  return { partialBackupFiles: partials.length, restoreTempDirs: restores.length, fileBytes: bytes };
}

async function previousRunAt(ctx: AppContext): Promise<Date | null> {
  const [row] = await ctx.db.orm
    .select({ startedAt: opsRetentionRuns.startedAt })
    .from(opsRetentionRuns)
    .where(and(eq(opsRetentionRuns.status, 'SUCCEEDED'), eq(opsRetentionRuns.dryRun, false)))
    .orderBy(desc(opsRetentionRuns.startedAt))
    .limit(1);
  return row?.startedAt ?? null;
}

async function collect(ctx: AppContext, now: Date, dryRun: boolean, tempDir: string): Promise<RetentionCounts> {
  const since = (await previousRunAt(ctx)) ?? new Date(0);
  const bySchedulerBefore = await destroyedBatchCount(ctx, since, now);
  let personalisationBatches: number;
  let personalisationRecords: number;
  if (dryRun) {
    ({ batches: personalisationBatches, records: personalisationRecords } = await expiredBatchCount(ctx, now));
  } else {
    const destroyed = await destroyExpiredBatches(ctx, now);
    personalisationBatches = destroyed.batches.length;
    personalisationRecords = destroyed.batches.reduce((a, b) => a + b.records, 0);
  }
  let applicationsMinimised = 0;
  let applicationPhotosDeleted = 0;
  for (const { programmeId, days } of await closedApplicationRetentions(ctx)) {
    const r = await minimiseClosedApplications(ctx, programmeId, closedRetentionCutoff(now, days), { dryRun, now });
    applicationsMinimised += r.applications;
    applicationPhotosDeleted += r.photos;
  }
  const files = pruneFiles(ctx, now, dryRun, tempDir);
  const longestWindow = Math.max(ctx.config.loginIpWindowSeconds, ctx.config.trackIpWindowSeconds, ctx.config.rateLimitWindowSeconds);
  const cutoff = counterCutoff(now, longestWindow);
  const counterWindows = dryRun ? await countRequestWindowsBefore(ctx, cutoff) : await pruneRequestCounters(ctx, cutoff);
  return {
    personalisationBatches,
    personalisationRecords,
    personalisationBatchesBySchedulerSincePrevious: bySchedulerBefore,
    applicationsMinimised,
    applicationPhotosDeleted,
    ...files,
    counterWindows,
  };
}

/**
 * One retention run: personalisation data past its time destroyed, closed applications past the
 * programme's retention minimised, stale files and counter windows deleted. Recorded as a row of
 * ops_retention_runs and an `ops.retention` audit entry with the counts, whether it worked or not.
 */
export async function runRetention(
  ctx: AppContext,
  trigger: Trigger,
  opts: { dryRun?: boolean; now?: Date; tempDir?: string } = {},
): Promise<RetentionReport> {
  const now = opts.now ?? new Date();
  const dryRun = opts.dryRun ?? false;
  const actor = { actorType: trigger === 'CLI' ? ('CLI' as const) : ('SYSTEM' as const), actorName: trigger === 'CLI' ? 'cli' : 'scheduler' };
  const startedAt = new Date();
  try {
    const counts = await collect(ctx, now, dryRun, opts.tempDir ?? tmpdir());
    const [row] = await ctx.db.orm
      .insert(opsRetentionRuns)
      .values({ trigger, dryRun, status: 'SUCCEEDED', startedAt, finishedAt: new Date(), counts: { ...counts } })
      .returning({ id: opsRetentionRuns.id });
    await appendAudit(ctx, { ...actor, action: 'ops.retention', targetType: 'retention_run', targetId: row!.id, outcome: 'SUCCESS', details: { dryRun, ...counts } });
    return { id: row!.id, dryRun, startedAt, counts };
  } catch (err) {
    const reason = err instanceof AppError ? `${err.code}: ${err.messageIn('en-US')}` : (err as Error).message;
    const [row] = await ctx.db.orm
      .insert(opsRetentionRuns)
      .values({ trigger, dryRun, status: 'FAILED', startedAt, finishedAt: new Date(), error: reason.slice(0, 2000) })
      .returning({ id: opsRetentionRuns.id });
    await appendAudit(ctx, { ...actor, action: 'ops.retention', targetType: 'retention_run', targetId: row!.id, outcome: 'FAILED', details: { dryRun, reason } });
    throw err;
  }
}

/** The newest run (dry or not) and the newest failure, for the status page. */
export async function lastRetentionRuns(ctx: AppContext) {
  const [last] = await ctx.db.orm.select().from(opsRetentionRuns).where(eq(opsRetentionRuns.status, 'SUCCEEDED')).orderBy(desc(opsRetentionRuns.startedAt)).limit(1);
  const [failed] = await ctx.db.orm.select().from(opsRetentionRuns).where(eq(opsRetentionRuns.status, 'FAILED')).orderBy(desc(opsRetentionRuns.startedAt)).limit(1);
  return { last: last ?? null, failed: failed ?? null };
}

// Fixed key of the advisory lock that lets one worker of many take the scheduled run (backups use 7283520).
const RETENTION_LOCK = 7283521;

/** One scheduled check: runs when due, under an advisory lock on PostgreSQL with the due check repeated under it. */
export async function retentionIfDue(ctx: AppContext, now: Date = new Date()): Promise<RetentionReport | null> {
  if (!retentionDue(ctx.config.retentionIntervalHours, await previousRunAt(ctx), now)) return null;
  const client = ctx.db.pool ? await ctx.db.pool.connect() : null;
  try {
    if (client) {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [RETENTION_LOCK]);
      if (!rows[0]!.locked) return null;
      if (!retentionDue(ctx.config.retentionIntervalHours, await previousRunAt(ctx), now)) return null;
    }
    return await runRetention(ctx, 'SCHEDULED', { now });
  } finally {
    if (client) {
      await client.query('select pg_advisory_unlock($1)', [RETENTION_LOCK]).catch(() => undefined);
      client.release();
    }
  }
}

const CHECK_EVERY_MS = 10 * 60_000;

/** Checks for a due retention run two minutes after start and every ten minutes. */
export function startRetentionScheduler(ctx: AppContext, logger: Logger, everyMs = CHECK_EVERY_MS): PeriodicJob {
  return startPeriodicJob({
    name: 'retention',
    everyMs,
    firstAfterMs: 2 * 60_000,
    run: () => retentionIfDue(ctx),
    onResult: (r) => {
      if (r) logger.info({ run: r.id, ...r.counts }, 'retention run done');
    },
    logger,
  });
}
