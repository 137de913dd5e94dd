import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only. Each row's hash = HMAC-SM3(chain key, previous hash ‖ canonical entry), so an edit
 * or a deleted row breaks every later link. No foreign keys: the trail outlives what it names.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().defaultRandom(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    orgId: text('org_id'),
    orgName: text('org_name'),
    ip: text('ip'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    outcome: text('outcome').notNull(),
    requestId: text('request_id'),
    details: jsonb('details').notNull().default({}),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorName),
    index('audit_log_action_idx').on(t.action),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    check('audit_log_outcome_check', sql`${t.outcome} in ('SUCCESS','DENIED','FAILED')`),
    check('audit_log_actor_type_check', sql`${t.actorType} in ('USER','API_KEY','SYSTEM','CLI','ANONYMOUS')`),
    check('audit_log_seq_check', sql`${t.seq} >= 1`),
  ],
);

/**
 * The newest link, one row. Appends lock it (serialising writers across processes), and verify
 * compares it with the last row so that deleting the newest entries is noticed too.
 */
export const auditHead = pgTable(
  'audit_head',
  {
    id: integer('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [check('audit_head_single_row', sql`${t.id} = 1`)],
);
