import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from '../orgs/schema.ts';
import { programmes } from '../programmes/schema.ts';
import { cardAttempts } from '../cards/schema.ts';

export const SHIPMENT_STATUSES = ['SHIPPED', 'RECEIVED'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const shipmentNoSeq = pgSequence('shipment_no_seq', { startWith: 1, increment: 1 });

/** A parcel of produced cards from a producer to one outlet or bank branch. */
export const shipments = pgTable(
  'shipments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    shipmentNo: text('shipment_no').notNull(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'restrict' }),
    producerOrgId: uuid('producer_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    receiverOrgId: uuid('receiver_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    status: text('status').$type<ShipmentStatus>().notNull(),
    cardCount: integer('card_count').notNull(),
    carrier: text('carrier'),
    trackingNo: text('tracking_no'),
    shippedAt: timestamp('shipped_at', { withTimezone: true }).notNull(),
    shippedBy: text('shipped_by').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    receivedBy: text('received_by'),
    receivedByName: text('received_by_name'),
  },
  (t) => [
    uniqueIndex('shipments_no_key').on(t.shipmentNo),
    index('shipments_receiver_idx').on(t.receiverOrgId, t.status),
    index('shipments_producer_idx').on(t.producerOrgId, t.status),
    check('shipments_status_check', sql`${t.status} in ('SHIPPED','RECEIVED')`),
    check('shipments_count_check', sql`${t.cardCount} >= 1`),
    check('shipments_received_check', sql`(${t.status} = 'RECEIVED') = (${t.receivedAt} is not null and ${t.receivedBy} is not null)`),
  ],
);

/** The manifest: which card numbers the producer says are in the parcel. */
export const shipmentItems = pgTable(
  'shipment_items',
  {
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'restrict' }),
    cardId: uuid('card_id')
      .notNull()
      .references(() => cardAttempts.id, { onDelete: 'restrict' }),
    cardNo: text('card_no').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.cardId] }), uniqueIndex('shipment_items_card_key').on(t.cardId), index('shipment_items_card_no_idx').on(t.shipmentId, t.cardNo)],
);

export const SCAN_RESULTS = ['MATCHED', 'UNEXPECTED', 'DUPLICATE'] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

/** What the receiving clerk scanned while opening a parcel, before confirming receipt. */
export const receiptScans = pgTable(
  'receipt_scans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'restrict' }),
    cardNo: text('card_no').notNull(),
    result: text('result').$type<ScanResult>().notNull(),
    damaged: boolean('damaged').notNull().default(false),
    scannedBy: text('scanned_by').notNull(),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('receipt_scans_shipment_idx').on(t.shipmentId, t.scannedAt),
    check('receipt_scans_result_check', sql`${t.result} in ('MATCHED','UNEXPECTED','DUPLICATE')`),
  ],
);

export const DISCREPANCY_KINDS = ['MISSING', 'UNEXPECTED', 'DAMAGED'] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** A difference between manifest and parcel that the producer must answer. */
export const discrepancies = pgTable(
  'discrepancies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'restrict' }),
    cardId: uuid('card_id').references(() => cardAttempts.id, { onDelete: 'restrict' }),
    cardNo: text('card_no').notNull(),
    kind: text('kind').$type<DiscrepancyKind>().notNull(),
    status: text('status').$type<'OPEN' | 'ANSWERED'>().notNull(),
    openedBy: text('opened_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    answer: text('answer'),
    answeredBy: text('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('discrepancies_shipment_card_key').on(t.shipmentId, t.cardNo, t.kind),
    index('discrepancies_open_idx').on(t.status, t.openedAt),
    check('discrepancies_kind_check', sql`${t.kind} in ('MISSING','UNEXPECTED','DAMAGED')`),
    check('discrepancies_status_check', sql`${t.status} in ('OPEN','ANSWERED')`),
    check('discrepancies_answer_check', sql`(${t.status} = 'ANSWERED') = (${t.answer} is not null and ${t.answeredAt} is not null)`),
  ],
);
