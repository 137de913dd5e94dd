import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per finished backup (successful or not), written after the fact: a row written before the
 * dump would be inside the dump, and a restored database would show that backup as still running.
 */
export const opsBackups = pgTable(
  'ops_backups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trigger: text('trigger').$type<'SCHEDULED' | 'CLI'>().notNull(),
    status: text('status').$type<'SUCCEEDED' | 'FAILED'>().notNull(),
    engine: text('engine').$type<'pglite' | 'postgres'>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
    manifestPath: text('manifest_path'),
    bytes: bigint('bytes', { mode: 'number' }),
    tableCount: integer('table_count'),
    error: text('error'),
  },
  (t) => [
    index('ops_backups_started_idx').on(t.startedAt),
    check('ops_backups_trigger_check', sql`${t.trigger} in ('SCHEDULED','CLI')`),
    check('ops_backups_status_check', sql`${t.status} in ('SUCCEEDED','FAILED')`),
    check('ops_backups_engine_check', sql`${t.engine} in ('pglite','postgres')`),
    check('ops_backups_outcome_check', sql`(${t.status} = 'SUCCEEDED') = (${t.manifestPath} is not null and ${t.error} is null)`),
  ],
);

/**
 * One row per retention run (scheduled, from the CLI, or a dry run that changed nothing), with what it
 * removed; the same counts are in the run's `ops.retention` audit entry.
 */
export const opsRetentionRuns = pgTable(
  'ops_retention_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trigger: text('trigger').$type<'SCHEDULED' | 'CLI'>().notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    status: text('status').$type<'SUCCEEDED' | 'FAILED'>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    error: text('error'),
  },
  (t) => [
    index('ops_retention_runs_started_idx').on(t.startedAt),
    check('ops_retention_runs_trigger_check', sql`${t.trigger} in ('SCHEDULED','CLI')`),
    check('ops_retention_runs_status_check', sql`${t.status} in ('SUCCEEDED','FAILED')`),
    check('ops_retention_runs_outcome_check', sql`(${t.status} = 'SUCCEEDED') = (${t.error} is null)`),
  ],
);
