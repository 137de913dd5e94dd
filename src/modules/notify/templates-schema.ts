import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from '../../platform/auth/schema.ts';
import { organisations, users } from '../orgs/schema.ts';
import type { SmsCategory } from './states.ts';
import type { CampaignSource, TemplateStatus } from './templates.ts';

/**
 * Signatures (【常州市公安局】) an organisation has registered (报备) with its carrier. A template can
 * only use a signature of its own organisation, so nobody sends in another agency's name.
 */
export const smsSignatures = pgTable(
  'sms_signatures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    text: text('text').notNull(),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_signatures_org_text_key').on(t.orgId, t.text),
    check('sms_signatures_text_check', sql`char_length(${t.text}) between 2 and 16 and ${t.text} !~ '[【】]'`),
  ],
);

/**
 * One version of a named template. Versions of a name share `name` and `org_id`; editing an APPROVED
 * version writes the next version as a DRAFT, so the text that was approved and sent stays as it was.
 * At most one version per name is being worked on (DRAFT or PENDING_APPROVAL) and at most one is
 * APPROVED: approving a new version marks the previous one SUPERSEDED. The four-eyes rule (the approver
 * is not the author) is also a CHECK, so no code path can skip it.
 */
export const smsTemplates = pgTable(
  'sms_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => smsSignatures.id, { onDelete: 'restrict' }),
    body: text('body').notNull(),
    category: text('category').$type<SmsCategory>().notNull(),
    status: text('status').$type<TemplateStatus>().notNull().default('DRAFT'),
    createdById: uuid('created_by_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedById: uuid('decided_by_id').references(() => users.id, { onDelete: 'restrict' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    rejectReason: text('reject_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_templates_name_version_key').on(t.orgId, t.name, t.version),
    uniqueIndex('sms_templates_open_key').on(t.orgId, t.name).where(sql`${t.status} in ('DRAFT','PENDING_APPROVAL')`),
    uniqueIndex('sms_templates_approved_key').on(t.orgId, t.name).where(sql`${t.status} = 'APPROVED'`),
    check('sms_templates_name_check', sql`${t.name} ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'`),
    check('sms_templates_version_check', sql`${t.version} >= 1`),
    check('sms_templates_body_check', sql`char_length(${t.body}) between 1 and 500`),
    check('sms_templates_category_check', sql`${t.category} in ('NOTIFICATION','MARKETING')`),
    check('sms_templates_status_check', sql`${t.status} in ('DRAFT','PENDING_APPROVAL','APPROVED','REJECTED','SUPERSEDED')`),
    check('sms_templates_four_eyes_check', sql`${t.decidedById} is null or ${t.decidedById} <> ${t.createdById}`),
    check('sms_templates_decided_check', sql`${t.status} not in ('APPROVED','REJECTED','SUPERSEDED') or (${t.decidedById} is not null and ${t.decidedAt} is not null)`),
  ],
);

/**
 * A send to many recipients (CSV upload or card query). The messages themselves are rows of the
 * outbox (sms_messages), keyed `campaign:<id>:<n>`; this row keeps what the operator confirmed.
 * `request_key` makes a repeated confirm (double click, retried request) return the same campaign.
 */
export const smsCampaigns = pgTable(
  'sms_campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    requestKey: text('request_key').notNull(),
    name: text('name').notNull(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => smsTemplates.id, { onDelete: 'restrict' }),
    source: text('source').$type<CampaignSource>().notNull(),
    sourceDetail: jsonb('source_detail').$type<Record<string, unknown>>().notNull(),
    recipients: integer('recipients').notNull(),
    queued: integer('queued').notNull(),
    segments: integer('segments').notNull(),
    costMilliFen: bigint('cost_milli_fen', { mode: 'number' }).notNull(),
    createdById: uuid('created_by_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_campaigns_request_key').on(t.orgId, t.requestKey),
    index('sms_campaigns_org_created_idx').on(t.orgId, t.createdAt),
    check('sms_campaigns_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check('sms_campaigns_source_check', sql`${t.source} in ('CSV','CARD_QUERY')`),
    check('sms_campaigns_counts_check', sql`${t.recipients} >= 1 and ${t.queued} between 0 and ${t.recipients} and ${t.segments} >= ${t.recipients} and ${t.costMilliFen} >= 0`),
  ],
);

/** A daily cap on the messages another system may send with its API key (no row: the default cap). */
export const smsClientQuotas = pgTable(
  'sms_client_quotas',
  {
    apiKeyId: uuid('api_key_id')
      .primaryKey()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    dailyLimit: integer('daily_limit').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('sms_client_quotas_limit_check', sql`${t.dailyLimit} >= 0`)],
);

/**
 * Messages each API key queued per Shanghai calendar day, counted in the transaction that queues them
 * (a conditional upsert), so concurrent requests cannot together pass the cap. Retries of a key
 * already used are not counted: they send nothing.
 */
export const smsClientUsage = pgTable(
  'sms_client_usage',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    sent: integer('sent').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.day] }),
    check('sms_client_usage_day_check', sql`${t.day} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`),
    check('sms_client_usage_sent_check', sql`${t.sent} >= 0`),
  ],
);
