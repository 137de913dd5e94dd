import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';
import type { SmsCategory, SmsStatus, AttemptOutcome, BlockSource } from './states.ts';
import type { WordHit } from './words/matcher.ts';

/**
 * One row per SMS: the outbox the dispatcher drains. The recipient is encrypted, blind-indexed and
 * masked like every phone number; the text is kept because it is what was billed and sent.
 */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phoneEnc: text('phone_enc').notNull(),
    phoneIdx: text('phone_idx').notNull(),
    phoneMasked: text('phone_masked').notNull(),
    text: text('text').notNull(),
    /** The 【signature】 of the text, without brackets: opt-outs block a number per signature. */
    signature: text('signature').notNull(),
    // No foreign key: templates belong to another part of the module and may be archived independently.
    templateId: uuid('template_id'),
    senderOrgId: uuid('sender_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    category: text('category').$type<SmsCategory>().notNull(),
    segments: integer('segments').notNull(),
    costMilliFen: integer('cost_milli_fen').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status').$type<SmsStatus>().notNull(),
    provider: text('provider'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    quietHoursExempt: boolean('quiet_hours_exempt').notNull(),
    /** Error code or receipt stat of the last failure, for the failure report. */
    failureCode: text('failure_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The sensitive words that held the message, with their spans in the text, and the list version. */
    heldWords: jsonb('held_words').$type<WordHit[]>(),
    heldListVersion: integer('held_list_version'),
    /** Who released or rejected a held message, and when. */
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The campaign that queued the message (its live progress); no foreign key, like template_id. */
    campaignId: uuid('campaign_id'),
  },
  (t) => [
    uniqueIndex('sms_messages_idempotency_key').on(t.idempotencyKey),
    index('sms_messages_queue_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'QUEUED'`),
    index('sms_messages_phone_idx').on(t.phoneIdx),
    index('sms_messages_created_idx').on(t.createdAt),
    check('sms_messages_phone_check', sql`${t.phoneEnc} like 'v1.%'`),
    check('sms_messages_category_check', sql`${t.category} in ('NOTIFICATION','MARKETING')`),
    check('sms_messages_status_check', sql`${t.status} in ('QUEUED','SUBMITTED','DELIVERED','FAILED','EXPIRED','HELD','BLOCKED')`),
    check('sms_messages_segments_check', sql`${t.segments} between 1 and 255`),
    check('sms_messages_cost_check', sql`${t.costMilliFen} >= 0`),
    check('sms_messages_attempts_check', sql`${t.attempts} >= 0`),
    check('sms_messages_key_check', sql`char_length(${t.idempotencyKey}) between 1 and 200`),
    check('sms_messages_signature_check', sql`char_length(${t.signature}) between 2 and 16`),
    check('sms_messages_submitted_check', sql`${t.status} not in ('SUBMITTED','DELIVERED') or (${t.submittedAt} is not null and ${t.provider} is not null)`),
    check('sms_messages_delivered_check', sql`(${t.status} = 'DELIVERED') = (${t.deliveredAt} is not null)`),
    check('sms_messages_finished_check', sql`(${t.status} in ('DELIVERED','FAILED','EXPIRED','BLOCKED')) = (${t.finishedAt} is not null)`),
    index('sms_messages_held_idx').on(t.createdAt).where(sql`${t.status} = 'HELD'`),
    index('sms_messages_campaign_idx').on(t.campaignId, t.status).where(sql`${t.campaignId} is not null`),
    check('sms_messages_held_check', sql`${t.status} <> 'HELD' or (${t.heldListVersion} is not null and jsonb_array_length(${t.heldWords}) > 0)`),
  ],
);

/**
 * Each try to hand a message to a gateway, committed before anything goes to the wire, so that a
 * crash leaves a trace of what may have been sent. Outcome null means "on its way or we died".
 */
export const smsSubmitAttempts = pgTable(
  'sms_submit_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => smsMessages.id, { onDelete: 'restrict' }),
    provider: text('provider').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    outcome: text('outcome').$type<AttemptOutcome>(),
    /** The SMSC's id of each segment, in segment order; receipts come back with these. */
    smscIds: text('smsc_ids').array().notNull().default(sql`'{}'::text[]`),
    /** GatewayError.attempt of a timed-out submit, so a late answer can settle it. */
    gatewayAttempt: text('gateway_attempt'),
    errorCode: text('error_code'),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('sms_submit_attempts_message_idx').on(t.messageId),
    // Without the pending list: every receipt looks its ids up here, and a search reads the whole list
    // until vacuum merges it (1.3 ms a lookup at a few thousand receipts a second, 0.05 ms without).
    index('sms_submit_attempts_smsc_ids_idx').using('gin', t.smscIds).with({ fastupdate: false }),
    index('sms_submit_attempts_open_idx').on(t.startedAt).where(sql`${t.outcome} is null or ${t.outcome} = 'UNKNOWN'`),
    check('sms_submit_attempts_outcome_check', sql`${t.outcome} in ('ACCEPTED','NOT_SENT','REFUSED','UNKNOWN','ABANDONED')`),
    check('sms_submit_attempts_finished_check', sql`(${t.outcome} is null) = (${t.finishedAt} is null)`),
    check('sms_submit_attempts_ids_check', sql`${t.outcome} is not null or cardinality(${t.smscIds}) = 0`),
  ],
);

/**
 * Every final receipt as it came, one per segment, including ids nobody knows (yet): a receipt can
 * beat its submit answer, and it is matched through sms_submit_attempts.smsc_ids when that is written.
 */
export const smsReceipts = pgTable(
  'sms_receipts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    smscMessageId: text('smsc_message_id').notNull(),
    status: text('status').$type<'DELIVERED' | 'FAILED' | 'EXPIRED'>().notNull(),
    stat: text('stat').notNull(),
    errorCode: text('error_code'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Blind index of the handset the receipt names, when it names one: reconcile matches lost answers by it. */
    phoneIdx: text('phone_idx'),
  },
  (t) => [
    index('sms_receipts_smsc_idx').on(t.provider, t.smscMessageId),
    index('sms_receipts_received_idx').on(t.receivedAt),
    check('sms_receipts_status_check', sql`${t.status} in ('DELIVERED','FAILED','EXPIRED')`),
  ],
);

/** Replies from handsets (mobile-originated), linked to the last message we sent to that number. */
export const smsInbound = pgTable(
  'sms_inbound',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    phoneEnc: text('phone_enc').notNull(),
    phoneIdx: text('phone_idx').notNull(),
    phoneMasked: text('phone_masked').notNull(),
    text: text('text').notNull(),
    replyToMessageId: uuid('reply_to_message_id').references(() => smsMessages.id, { onDelete: 'restrict' }),
    optOut: boolean('opt_out').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('sms_inbound_phone_idx').on(t.phoneIdx),
    index('sms_inbound_received_idx').on(t.receivedAt),
    check('sms_inbound_phone_check', sql`${t.phoneEnc} like 'v1.%'`),
  ],
);

/** Numbers that must not get messages under a signature: from opt-out replies or added by hand. */
export const smsBlocklist = pgTable(
  'sms_blocklist',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phoneIdx: text('phone_idx').notNull(),
    phoneMasked: text('phone_masked').notNull(),
    signature: text('signature').notNull(),
    source: text('source').$type<BlockSource>().notNull(),
    inboundId: uuid('inbound_id').references(() => smsInbound.id, { onDelete: 'restrict' }),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_blocklist_phone_signature_key').on(t.phoneIdx, t.signature),
    check('sms_blocklist_source_check', sql`${t.source} in ('REPLY','MANUAL')`),
    check('sms_blocklist_signature_check', sql`char_length(${t.signature}) between 2 and 16`),
    check('sms_blocklist_reply_check', sql`${t.source} <> 'REPLY' or ${t.inboundId} is not null`),
  ],
);
