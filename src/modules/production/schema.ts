import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';
import { programmes } from '../programmes/schema.ts';
import { bytea } from '../applications/schema.ts';
import { cardAttempts } from '../cards/schema.ts';

export const BATCH_STATUSES = ['OPEN', 'COMPLETED', 'DESTROYED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const batchNoSeq = pgSequence('batch_no_seq', { startWith: 1, increment: 1 });

/** A production order to one producer: the cards it must make, and what is left of its data. */
export const productionBatches = pgTable(
  'production_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    batchNo: text('batch_no').notNull(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'restrict' }),
    producerOrgId: uuid('producer_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    status: text('status').$type<BatchStatus>().notNull(),
    cardCount: integer('card_count').notNull(),
    createdBy: text('created_by').notNull(),
    ruleId: uuid('rule_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // The data is in the producer's hands from this moment (the package is published); clocks count from here.
    dataReleasedAt: timestamp('data_released_at', { withTimezone: true }).notNull(),
    firstDownloadedAt: timestamp('first_downloaded_at', { withTimezone: true }),
    productionDueAt: timestamp('production_due_at', { withTimezone: true }).notNull(),
    deliveryDueAt: timestamp('delivery_due_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    destroyAfter: timestamp('destroy_after', { withTimezone: true }),
    destroyedAt: timestamp('destroyed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('production_batches_no_key').on(t.batchNo),
    index('production_batches_producer_idx').on(t.producerOrgId, t.status, t.createdAt),
    index('production_batches_programme_idx').on(t.programmeId, t.createdAt),
    index('production_batches_destroy_idx').on(t.destroyAfter).where(sql`${t.status} = 'COMPLETED'`),
    check('production_batches_status_check', sql`${t.status} in ('OPEN','COMPLETED','DESTROYED')`),
    check('production_batches_count_check', sql`${t.cardCount} >= 1`),
    check('production_batches_completed_check', sql`(${t.status} = 'OPEN') = (${t.completedAt} is null) and (${t.status} = 'OPEN' or ${t.destroyAfter} is not null)`),
    check('production_batches_destroyed_check', sql`(${t.status} = 'DESTROYED') = (${t.destroyedAt} is not null)`),
  ],
);

/**
 * The personalisation data of one ordered card (the record for face and chip, and the photo), sealed
 * with the field cipher. Deleted when the batch's retention ends; only the digests on the card stay.
 */
export const batchRecords = pgTable(
  'batch_records',
  {
    cardId: uuid('card_id')
      .primaryKey()
      .references(() => cardAttempts.id, { onDelete: 'restrict' }),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => productionBatches.id, { onDelete: 'restrict' }),
    recordEnc: bytea('record_enc').notNull(),
    photoEnc: bytea('photo_enc'),
  },
  (t) => [index('batch_records_batch_idx').on(t.batchId)],
);

export const PACKAGE_KEY_KINDS = ['SM4', 'SM2'] as const;
export type PackageKeyKind = (typeof PACKAGE_KEY_KINDS)[number];

/** A producer's key for packages: an SM4+HMAC secret (sealed) or an SM2 public key it registered. */
export const packageKeys = pgTable(
  'package_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    producerOrgId: uuid('producer_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    kind: text('kind').$type<PackageKeyKind>().notNull(),
    secretEnc: bytea('secret_enc'),
    sm2PublicKey: text('sm2_public_key'),
    fingerprint: text('fingerprint').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('package_keys_active_key').on(t.producerOrgId).where(sql`${t.active}`),
    check('package_keys_kind_check', sql`${t.kind} in ('SM4','SM2')`),
    check('package_keys_material_check', sql`case when ${t.kind} = 'SM4' then ${t.secretEnc} is not null and ${t.sm2PublicKey} is null else ${t.sm2PublicKey} is not null and ${t.secretEnc} is null end`),
    check('package_keys_active_check', sql`${t.active} = (${t.retiredAt} is null)`),
  ],
);

/** A download link for a batch package: expires, and allows a limited number of downloads. */
export const packageLinks = pgTable(
  'package_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => productionBatches.id, { onDelete: 'restrict' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    maxDownloads: integer('max_downloads').notNull(),
    downloads: integer('downloads').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('package_links_token_key').on(t.tokenHash),
    index('package_links_batch_idx').on(t.batchId),
    check('package_links_downloads_check', sql`${t.maxDownloads} between 1 and 100 and ${t.downloads} between 0 and ${t.maxDownloads}`),
  ],
);

/** A standing order to batch waiting cards: every day at a time, or as soon as N cards wait. */
export const batchRules = pgTable(
  'batch_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    producerOrgId: uuid('producer_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    dailyAtMinute: integer('daily_at_minute'),
    whenWaiting: integer('when_waiting'),
    enabled: boolean('enabled').notNull().default(true),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('batch_rules_programme_producer_key').on(t.programmeId, t.producerOrgId),
    check('batch_rules_trigger_check', sql`${t.dailyAtMinute} is not null or ${t.whenWaiting} is not null`),
    check('batch_rules_minute_check', sql`${t.dailyAtMinute} is null or ${t.dailyAtMinute} between 0 and 1439`),
    check('batch_rules_waiting_check', sql`${t.whenWaiting} is null or ${t.whenWaiting} between 1 and 100000`),
  ],
);
