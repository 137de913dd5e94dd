import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from '../../modules/orgs/schema.ts';

export const sessions = pgTable(
  'sessions',
  {
    // SM3 of the cookie token: a copy of this table does not let anyone sign in.
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    roles: text('roles').array().notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_keys_prefix_key').on(t.prefix),
    check('api_keys_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('api_keys_prefix_check', sql`${t.prefix} ~ '^[a-z0-9]{10}$'`),
    check('api_keys_roles_check', sql`cardinality(${t.roles}) >= 1`),
  ],
);

/**
 * Requests per client address and purpose ('login', 'track') in fixed windows; shared by every API
 * process. The table keeps its first name: sign-ins were its first use.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    purpose: text('purpose').notNull().default('login'),
    ip: text('ip').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [
    uniqueIndex('login_attempts_key').on(t.purpose, t.ip, t.windowStart),
    check('login_attempts_check', sql`${t.attempts} >= 0`),
    check('login_attempts_purpose_check', sql`${t.purpose} ~ '^[a-z][a-z0-9_]{0,29}$'`),
  ],
);
