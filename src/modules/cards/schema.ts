import { sql } from 'drizzle-orm';
import { bigint, check, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';
import { programmes, type ProgrammeKind } from '../programmes/schema.ts';
import { applications } from '../applications/schema.ts';

export const CARD_STATUSES = ['ORDERED', 'PRODUCED', 'WASTED', 'SHIPPED', 'RECEIVED', 'DAMAGED', 'MISSING', 'ISSUED', 'LOST_TEMP', 'LOST_FORMAL', 'CANCELLED'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];
export const WASTE_CAUSES = ['AUTHORITY_DATA', 'PRODUCER'] as const;
export type WasteCause = (typeof WASTE_CAUSES)[number];
export const CARD_MODES = ['BATCH', 'INSTANT'] as const;
export type CardMode = (typeof CARD_MODES)[number];

/**
 * The transaction that wrote a row, so the cursor feed can hold back rows whose transaction may still
 * commit behind a later one (sequence numbers are handed out before commit, not in commit order).
 */
export const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
  fromDriver: (v) => String(v),
  toDriver: (v) => v,
});

/**
 * One attempt to make and hand over a card for an application. A producer-caused waste, a damaged or
 * a missing card ends its attempt and a new attempt (attempt_no + 1) goes into the producer's next
 * batch; so the card a holder receives is always the one live attempt of their application.
 */
export const cardAttempts = pgTable(
  'card_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'restrict' }),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'restrict' }),
    cardKind: text('card_kind').$type<ProgrammeKind>().notNull(),
    attemptNo: integer('attempt_no').notNull(),
    mode: text('mode').$type<CardMode>().notNull(),
    // The production batch (production module) and its position in the packing order; null for an instant (prefabricated) card.
    batchId: uuid('batch_id'),
    packingSeq: integer('packing_seq'),
    producerOrgId: uuid('producer_org_id').references(() => organisations.id, { onDelete: 'restrict' }),
    // Where the card goes: the outlet (residence permits) or the bank branch (social security cards).
    receiverOrgId: uuid('receiver_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    status: text('status').$type<CardStatus>().notNull(),
    // SM3 of the record ordered for the chip; a PRODUCED report must carry the same digest.
    recordSm3: text('record_sm3'),
    photoSm3: text('photo_sm3'),
    cardNo: text('card_no'),
    chipUid: text('chip_uid'),
    wasteReason: text('waste_reason'),
    wasteCause: text('waste_cause').$type<WasteCause>(),
    shipmentId: uuid('shipment_id'),
    // SLA: when the producer's clock started and when production / delivery are due.
    clockStartAt: timestamp('clock_start_at', { withTimezone: true }),
    productionDueAt: timestamp('production_due_at', { withTimezone: true }),
    deliveryDueAt: timestamp('delivery_due_at', { withTimezone: true }),
    producedAt: timestamp('produced_at', { withTimezone: true }),
    shippedAt: timestamp('shipped_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    socialActivatedAt: timestamp('social_activated_at', { withTimezone: true }),
    financialActivatedAt: timestamp('financial_activated_at', { withTimezone: true }),
    lostTempUntil: timestamp('lost_temp_until', { withTimezone: true }),
    replacesCardId: uuid('replaces_card_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('card_attempts_application_attempt_key').on(t.applicationId, t.attemptNo),
    // One live attempt per application: ended attempts (wasted, damaged, missing, cancelled) do not count.
    uniqueIndex('card_attempts_live_key').on(t.applicationId).where(sql`${t.status} not in ('WASTED','DAMAGED','MISSING','CANCELLED')`),
    uniqueIndex('card_attempts_card_no_key').on(t.programmeId, t.cardNo).where(sql`${t.cardNo} is not null`),
    uniqueIndex('card_attempts_batch_seq_key').on(t.batchId, t.packingSeq).where(sql`${t.batchId} is not null`),
    index('card_attempts_batch_idx').on(t.batchId, t.status),
    index('card_attempts_status_idx').on(t.programmeId, t.status),
    index('card_attempts_receiver_idx').on(t.receiverOrgId, t.status),
    index('card_attempts_producer_idx').on(t.producerOrgId, t.status),
    index('card_attempts_shipment_idx').on(t.shipmentId),
    index('card_attempts_due_idx').on(t.productionDueAt),
    check('card_attempts_status_check', sql`${t.status} in ('ORDERED','PRODUCED','WASTED','SHIPPED','RECEIVED','DAMAGED','MISSING','ISSUED','LOST_TEMP','LOST_FORMAL','CANCELLED')`),
    check('card_attempts_mode_check', sql`${t.mode} in ('BATCH','INSTANT')`),
    check('card_attempts_card_kind_check', sql`${t.cardKind} in ('RESIDENCE_PERMIT','SOCIAL_SECURITY_CARD')`),
    check('card_attempts_attempt_check', sql`${t.attemptNo} >= 1`),
    check('card_attempts_batch_check', sql`(${t.mode} = 'BATCH') = (${t.batchId} is not null and ${t.producerOrgId} is not null and ${t.packingSeq} is not null)`),
    check('card_attempts_produced_check', sql`${t.status} in ('ORDERED','WASTED') or (${t.cardNo} is not null and ${t.cardNo} ~ '^[0-9A-Z]{6,32}$')`),
    check('card_attempts_wasted_check', sql`(${t.status} = 'WASTED') = (${t.wasteCause} is not null) and (${t.wasteCause} is null or (${t.wasteCause} in ('AUTHORITY_DATA','PRODUCER') and ${t.wasteReason} is not null))`),
    check('card_attempts_shipped_check', sql`${t.status} in ('ORDERED','PRODUCED','WASTED') or ${t.mode} = 'INSTANT' or ${t.shipmentId} is not null`),
    check('card_attempts_digest_check', sql`(${t.recordSm3} is null or ${t.recordSm3} ~ '^[0-9a-f]{64}$') and (${t.photoSm3} is null or ${t.photoSm3} ~ '^[0-9a-f]{64}$')`),
  ],
);

/**
 * Every state change of a card, in commit-safe order, never updated or deleted: the write-back feed
 * for the population system, the SLA evidence and the settlement evidence all read from here.
 */
export const cardEvents = pgTable(
  'card_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    cardId: uuid('card_id')
      .notNull()
      .references(() => cardAttempts.id, { onDelete: 'restrict' }),
    applicationId: uuid('application_id').notNull(),
    programmeId: uuid('programme_id').notNull(),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    orgId: uuid('org_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    idempotencyKey: text('idempotency_key').notNull(),
    txid: xid8('txid').notNull().default(sql`pg_current_xact_id()`),
  },
  (t) => [
    uniqueIndex('card_events_idempotency_key').on(t.idempotencyKey),
    index('card_events_card_idx').on(t.cardId, t.seq),
    index('card_events_programme_at_idx').on(t.programmeId, t.at),
    index('card_events_txid_idx').on(t.txid),
    check('card_events_to_status_check', sql`${t.toStatus} in ('ORDERED','PRODUCED','WASTED','SHIPPED','RECEIVED','DAMAGED','MISSING','ISSUED','LOST_TEMP','LOST_FORMAL','CANCELLED')`),
  ],
);
