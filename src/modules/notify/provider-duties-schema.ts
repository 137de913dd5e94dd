import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';

/**
 * The SMS provider's contract duties (seed 003 §5.6, §5.7): the monthly usage list handed to the
 * authority, and the faults the authority reports with the provider's arrival and clearing times.
 * `provider` is the name the outbox records; `provider_org_id` the organisation whose users act for it.
 */

/** One usage list handed over, per provider and month; the statement totals are frozen at hand-over. */
export const smsUsageLists = pgTable(
  'sms_usage_lists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    providerOrgId: uuid('provider_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    month: text('month').notNull(),
    handedOverOn: date('handed_over_on', { mode: 'string' }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    submittedBy: text('submitted_by').notNull(),
    submittedByName: text('submitted_by_name').notNull(),
    submittedByOrgKind: text('submitted_by_org_kind').notNull(),
    authorityCaused: boolean('authority_caused').default(false).notNull(),
    messages: integer('messages').notNull(),
    billedSegments: integer('billed_segments').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }),
    replacedByName: text('replaced_by_name'),
  },
  (t) => [
    uniqueIndex('sms_usage_lists_provider_month_key').on(t.provider, t.month),
    check('sms_usage_lists_month_check', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('sms_usage_lists_totals_check', sql`${t.messages} >= 0 and ${t.billedSegments} >= 0 and ${t.amountFen} >= 0`),
  ],
);

/** A fault of the SMS platform the authority reported, with the provider's response and the authority's assessment. */
export const smsFaultReports = pgTable(
  'sms_fault_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    faultNo: text('fault_no').notNull(),
    provider: text('provider').notNull(),
    providerOrgId: uuid('provider_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    reportedByName: text('reported_by_name').notNull(),
    summary: text('summary').notNull(),
    details: text('details'),
    arriveWithinMinutes: integer('arrive_within_minutes').notNull(),
    clearWithinMinutes: integer('clear_within_minutes').notNull(),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    progressByName: text('progress_by_name'),
    assessedPercent: text('assessed_percent'),
    assessedByName: text('assessed_by_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_fault_reports_fault_no_key').on(t.faultNo),
    index('sms_fault_reports_provider_idx').on(t.provider, t.reportedAt),
    check('sms_fault_reports_order_check', sql`(${t.arrivedAt} is null or ${t.arrivedAt} >= ${t.reportedAt}) and (${t.clearedAt} is null or (${t.arrivedAt} is not null and ${t.clearedAt} >= ${t.arrivedAt}))`),
    check('sms_fault_reports_limits_check', sql`${t.arriveWithinMinutes} > 0 and ${t.clearWithinMinutes} > 0`),
  ],
);
