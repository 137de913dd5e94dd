import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const ORG_KINDS = ['AUTHORITY', 'OUTLET', 'PRODUCER', 'BANK', 'MAINTAINER', 'SMS_PROVIDER'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id'),
    // Materialised path of ids ("/<root>/<child>/"): scope checks are a prefix match.
    path: text('path').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<OrgKind>().notNull(),
    regionCode: text('region_code'),
    creditCode: text('credit_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id] }).onDelete('restrict'),
    uniqueIndex('organisations_path_key').on(t.path),
    index('organisations_parent_idx').on(t.parentId),
    check('organisations_kind_check', sql`${t.kind} in ('AUTHORITY','OUTLET','PRODUCER','BANK','MAINTAINER','SMS_PROVIDER')`),
    check('organisations_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('organisations_region_check', sql`${t.regionCode} is null or ${t.regionCode} ~ '^[0-9]{6}$'`),
    check('organisations_region_required', sql`${t.kind} not in ('OUTLET','PRODUCER') or ${t.regionCode} is not null`),
    check('organisations_credit_code_check', sql`${t.creditCode} is null or ${t.creditCode} ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`),
    check('organisations_root_is_authority', sql`${t.parentId} is not null or ${t.kind} = 'AUTHORITY'`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    roles: text('roles').array().notNull(),
    status: text('status').$type<'ACTIVE' | 'DISABLED'>().notNull().default('ACTIVE'),
    phoneEnc: text('phone_enc'),
    phoneIdx: text('phone_idx'),
    phoneMasked: text('phone_masked'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(sql`lower(${t.username})`),
    index('users_org_idx').on(t.orgId),
    index('users_phone_idx').on(t.phoneIdx),
    check('users_username_check', sql`${t.username} ~ '^[A-Za-z0-9_.-]{3,40}$'`),
    check('users_display_name_check', sql`char_length(${t.displayName}) between 1 and 50`),
    check('users_status_check', sql`${t.status} in ('ACTIVE','DISABLED')`),
    check('users_roles_check', sql`cardinality(${t.roles}) >= 1`),
    check('users_phone_pair_check', sql`(${t.phoneEnc} is null) = (${t.phoneIdx} is null) and (${t.phoneEnc} is null) = (${t.phoneMasked} is null)`),
    check('users_failed_logins_check', sql`${t.failedLogins} >= 0`),
  ],
);
